"""Voice for children who can't type yet: offline Whisper transcription of a microphone recording.

    if voice.available():                 # the model packages and faster-whisper are installed
        text = voice.Transcriber().transcribe(samples)   # 16 kHz mono float32, or a WAV path

The transcript goes into the input box for the child to send or change, and through the same safety
check as typed text (the app never sends it by itself).
"""

from .microphone import Recorder, has_microphone
from .model import VoiceUnavailable, available, model_folder
from .transcribe import Transcriber

__all__ = ["Recorder", "Transcriber", "VoiceUnavailable", "available", "has_microphone", "model_folder"]
