"""Write a peft LoRA (on a llama-architecture model) as a GGUF LoRA adapter that llama.cpp loads at start.

llama.cpp's conventions (its convert_lora_to_gguf.py and src/llama-adapter.cpp): `general.type =
adapter`, `general.architecture` equal to the base model's, `adapter.type = lora`,
`adapter.lora.alpha`; per adapted weight two tensors `blk.N.<tensor>.weight.lora_a` (peft's A, rank ×
in) and `.lora_b` (peft's B, out × rank); llama.cpp scales B·A by alpha / rank, as peft does. The
llama GGUF stores q and k with their rows permuted for its rotary layout (transformers undoes that when
it loads a GGUF), so B's rows are permuted the same way for attn_q and attn_k.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import numpy as np

# peft module name (transformers llama) -> llama.cpp tensor name
TENSORS = {
    "self_attn.q_proj": "attn_q",
    "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}
_KEY = re.compile(r"layers\.(\d+)\.(.+)\.lora_([AB])(?:\.[\w-]+)?\.weight$")


def permute_rows(rows: np.ndarray, n_head: int) -> np.ndarray:
    """transformers' q/k row order -> the llama GGUF's (the inverse of transformers' reverse permute)."""
    half = rows.shape[0] // n_head // 2
    return rows.reshape(n_head, 2, half, *rows.shape[1:]).swapaxes(1, 2).reshape(rows.shape)


def lora_tensors(state: dict[str, Any], n_head: int, n_kv_head: int) -> dict[str, np.ndarray]:
    """GGUF tensor name -> float16 array, from a peft state dict (lora_A / lora_B weights)."""
    out: dict[str, np.ndarray] = {}
    for key, value in state.items():
        match = _KEY.search(key)
        if not match or match.group(2) not in TENSORS:
            continue
        layer, module, part = match.groups()
        array = value.detach().float().cpu().numpy()
        if part == "B" and module == "self_attn.q_proj":
            array = permute_rows(array, n_head)
        elif part == "B" and module == "self_attn.k_proj":
            array = permute_rows(array, n_kv_head)
        name = f"blk.{layer}.{TENSORS[module]}.weight.lora_{part.lower()}"
        out[name] = np.ascontiguousarray(array.astype(np.float16))
    return out


def write_adapter(path: Path, tensors: dict[str, np.ndarray], alpha: float, name: str) -> str:
    """Write the adapter file; returns its sha256."""
    import gguf

    path.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(str(path), arch="llama")
    writer.add_type(gguf.GGUFType.ADAPTER)
    writer.add_name(name)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(alpha))
    for tensor_name in sorted(tensors, key=_order):
        writer.add_tensor(tensor_name, tensors[tensor_name])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _order(name: str) -> tuple[int, str]:
    """Layer number first, so the file lists blk.2 before blk.10."""
    return int(name.split(".")[1]), name
