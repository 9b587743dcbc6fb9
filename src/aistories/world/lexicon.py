"""Small word lists the extraction rules lean on: what is never a name, what is a creature or a place."""

from __future__ import annotations


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that are never a name, even with a capital letter (sentence starts, chatter, question words).
STOP = wordset("""
a an the and or but so if then than that this these those there here where when what who whom whose why
how which while until because as at by for from in into inside on onto off of out over under up down to
with without about above after before again all also am are be been being is was were do does did done
doing have has had having can could will would shall should may might must i me my mine myself you your
yours yourself he him his himself she her hers herself it its itself we us our ours ourselves they them
their theirs themselves im i'm ive i've id i'd ill i'll dont don't didnt didn't cant can't wont won't isnt
isn't its it's thats that's theres there's whats what's lets let's youre you're hes he's shes she's were
we're theyre they're no not yes yeah yep yup nope ok okay oh ohh ooh ah aah um umm hmm hm uh wow yay haha
lol lmao hehe hi hello hey bye goodbye please thanks thank sorry now just very really super too more most
much many some any every each other another one two three four five six seven eight nine ten first last
next once upon time suddenly finally soon later today tomorrow yesterday tonight always never sometimes
maybe perhaps also even still only like lik liek dunno idk ya yea nah cool awesome great good bad nice
well ever else somebody someone something anything nothing everything everyone anyone nobody everybody
mum mom dad mummy mommy daddy mama papa nana grandma grandpa granny nurse doctor teacher sister brother
story stories storyteller end the-end ending chapter part thing things stuff way lot kind sort bit
go goes went gone going come came coming get got make made see saw say said says tell told look looked
let know think thought want wants wanted need needs like liked love loved hate play played ask asked
yes no yess nooo lets someday everywhere somewhere anywhere nowhere away back home
monday tuesday wednesday thursday friday saturday sunday
""")

# Titles that start a multi-word name: "Captain Pickles", "Princess Zaza".
TITLES = wordset(
    "mr mrs ms miss sir lady lord captain princess prince king queen doctor dr professor "
    "auntie uncle granny grandpa grandma baby little big old señor madame"
)

# Titles that make the next word a name in any case ('mr sausage', 'captain crumble'); 'big', 'little',
# 'old' and 'baby' only count capitalised, since 'big dragon' is a description.
NAME_TITLES = (TITLES - wordset("big little old baby")) | wordset(
    "inspector detective agent officer general chief mister missus aunt aunty nanny grandad count duke "
    "duchess emperor empress sergeant sgt saint lord dame madam admiral commander "
    "farmer coach chef pirate sheriff wizard witch"  # never nurse: a real nurse is not kept
)

CREATURES = wordset("""
dragon dinosaur dino unicorn cat kitten dog puppy pup horse pony bunny rabbit mouse mice bear teddy lion
tiger elephant monkey giraffe zebra fox wolf owl bird parrot penguin duck chicken hen frog toad fish shark
whale dolphin octopus squid crab turtle tortoise snail slug worm bee butterfly ladybird ladybug spider ant
snake lizard crocodile alligator hippo rhino panda koala kangaroo sloth otter seal walrus hedgehog squirrel
deer cow pig sheep goat llama alpaca robot alien monster ghost fairy elf pixie wizard witch giant troll
goblin mermaid merman pirate knight princess prince king queen ninja superhero hero astronaut baker
trex t-rex raptor stegosaurus triceratops pterodactyl
yeti phoenix griffin dog-robot bat hamster guinea-pig gerbil seahorse jellyfish starfish stingray eel
narwhal pufferfish clownfish lobster shrimp beetle caterpillar dragonfly moth firefly gorilla chimp
cheetah leopard jaguar panther flamingo peacock swan goose eagle hawk toucan gecko chameleon iguana bed
""")

PLACES = wordset("""
castle palace tower volcano mountain hill forest wood woods jungle cave beach sea ocean lake river pond
island desert moon planet sun sky cloud clouds space spaceship rocket station village town city
school hospital ward garden park farm zoo house home kitchen bakery shop market library museum bridge
tunnel valley meadow field swamp waterfall reef lagoon harbour harbor port ship boat submarine playground
treehouse igloo tent camp pyramid temple maze den nest burrow underwater galaxy asteroid crater room
bedroom attic basement cellar dungeon kingdom
""")

OBJECTS = wordset("""
key sword wand map treasure chest box ball balloon kite book hat crown cape cloak shield ring necklace
lamp lantern torch candle clock watch umbrella bag backpack basket bucket spoon cup teapot bottle potion
egg star gem jewel diamond crystal coin stone rock shell feather flower seed apple banana pizza sandwich
sweet sweets candy lolly lollipop icecream ice-cream pie bread carrot cheese honey jam blanket pillow
quilt cake cupcake cookie muffin donut doughnut gingerbread telescope
compass rope ladder bicycle bike car train bus plane
helicopter drum guitar trumpet
flute bell whistle mirror magnet paintbrush crayon pencil trophy medal scarf boots glasses wheel
""")

COLOURS = wordset("""
red orange yellow green blue purple pink black white brown grey gray silver golden gold rainbow violet
turquoise
""")

SIZES = wordset(
    "big small tiny huge giant little enormous massive teeny tall short long fat thin "
    "gigantic mini teeny-tiny humongous"
)

MOODS = wordset("""
happy sad scared frightened afraid angry cross grumpy hungry thirsty sleepy tired sleeping asleep awake
excited lonely worried nervous shy cold hot poorly sick ill hurt bored cheerful upset surprised proud
calm cosy cozy comfy sore grumpy silly giggly confused lost stuck
""")

TRAITS = wordset("""
brave kind friendly clever smart funny wise gentle shy bouncy curious magic magical fluffy furry fuzzy
soft spiky shiny invisible fast slow strong loud quiet noisy helpful cheeky naughty nice mean old young
wobbly squishy bumpy smelly stinky sparkly glowing flying talking singing dancing cuddly beautiful pretty
cute ugly scary glittery stripy spotty spotted striped
spooky sticky slimy hairy bald wooden metal clumsy lazy grumpy bossy polite
""")

ADJECTIVES = COLOURS | SIZES | MOODS | TRAITS

# Action verbs that make a sentence an event, mapped to the past tense the recap uses.
VERB_PAST = {
    **{v: "flew" for v in ("fly", "flies", "flys", "flew", "flying")},
    **{v: "went" for v in ("go", "goes", "went", "going")},
    **{v: "found" for v in ("find", "finds", "found", "finding")},
    **{v: "ate" for v in ("eat", "eats", "ate", "eating")},
    **{v: "ran" for v in ("run", "runs", "ran", "running")},
    **{v: "swam" for v in ("swim", "swims", "swam", "swimming")},
    **{v: "jumped" for v in ("jump", "jumps", "jumped", "jumping")},
    **{v: "climbed" for v in ("climb", "climbs", "climbed", "climbing")},
    **{v: "met" for v in ("meet", "meets", "met", "meeting")},
    **{v: "made" for v in ("make", "makes", "made", "making")},
    **{v: "built" for v in ("build", "builds", "built", "building")},
    **{v: "saw" for v in ("see", "sees", "saw")},
    **{v: "sang" for v in ("sing", "sings", "sang")},
    **{v: "danced" for v in ("dance", "dances", "danced")},
    **{v: "helped" for v in ("help", "helps", "helped")},
    **{v: "saved" for v in ("save", "saves", "saved")},
    **{v: "opened" for v in ("open", "opens", "opened")},
    **{v: "lost" for v in ("lose", "loses", "lost")},
    **{v: "fell" for v in ("fall", "falls", "fell")},
    **{v: "sailed" for v in ("sail", "sails", "sailed")},
    **{v: "walked" for v in ("walk", "walks", "walked")},
    **{v: "hid" for v in ("hide", "hides", "hid")},
    **{v: "gave" for v in ("give", "gives", "gave")},
    **{v: "took" for v in ("take", "takes", "took")},
    **{v: "baked" for v in ("bake", "bakes", "baked")},
    **{v: "rescued" for v in ("rescue", "rescues", "rescued")},
    **{v: "visited" for v in ("visit", "visits", "visited")},
    **{v: "zoomed" for v in ("zoom", "zooms", "zoomed")},
    **{v: "landed" for v in ("land", "lands", "landed")},
    **{v: "discovered" for v in ("discover", "discovers", "discovered")},
    **{v: "escaped" for v in ("escape", "escapes", "escaped")},
    **{v: "woke up" for v in ("wake", "wakes", "woke")},
    **{v: "hugged" for v in ("hug", "hugs", "hugged")},
    **{v: "laughed" for v in ("laugh", "laughs", "laughed")},
    **{v: "sneezed" for v in ("sneeze", "sneezes", "sneezed")},
    # round 8: what children say things do to things ('who stole the key?' needs the stealing kept)
    **{v: "stole" for v in ("steal", "steals", "stole", "stolen", "nicks", "nicked", "pinched")},
    **{v: "grabbed" for v in ("grab", "grabs", "grabbed")},
    **{v: "caught" for v in ("catch", "catches", "caught", "cought")},
    **{v: "brought" for v in ("bring", "brings", "brought")},
    **{v: "scored" for v in ("score", "scores", "scored")},
    **{v: "kicked" for v in ("kick", "kicks", "kicked")},
    **{v: "won" for v in ("win", "wins", "won")},
    **{v: "dropped" for v in ("drop", "drops", "dropped")},
    **{v: "threw" for v in ("throw", "throws", "threw")},
}

# Child spellings seen in the wild, folded before matching.
TYPOS = {
    "calld": "called",
    "caled": "called",
    "callled": "called",
    "cald": "called",
    "colled": "called",
    "namd": "named",
    "nammed": "named",
    "naemd": "named",
    "neamed": "named",
    "wnats": "wants",
    "whants": "wants",
    "wonts": "wants",
    "wantz": "wants",
    "wanna": "wants",
    "dragin": "dragon",
    "dragan": "dragon",
    "draggon": "dragon",
    "dinasaur": "dinosaur",
    "dinosor": "dinosaur",
    "unicorne": "unicorn",
    "volcanoe": "volcano",
    "vulcano": "volcano",
    "purpel": "purple",
    "purpul": "purple",
    "yelow": "yellow",
    "bleu": "blue",
    "gren": "green",
    "hungery": "hungry",
    "scarred": "scared",
    "sacred": "scared",
    "skared": "scared",
    "happpy": "happy",
    "iz": "is",
    "wos": "was",
    "waz": "was",
    "teh": "the",
    "da": "the",
    "nd": "and",
    "n": "and",
    "cuz": "because",
    "coz": "because",
    "u": "you",
    "ur": "your",
    "r": "are",
    "verry": "very",
    "vry": "very",
    "realy": "really",
    "likez": "likes",
    "liks": "likes",
    "eets": "eats",
    "scard": "scared",
    "afriad": "afraid",
    "livs": "lives",
    "culer": "colour",
    "colur": "colour",
    "coler": "colour",
    "cullor": "colour",
    "culor": "colour",
    "collor": "colour",
    "mayd": "made",
    "naym": "name",
    "nayme": "name",
    "eet": "eat",
    "wot": "what",
    "wat": "what",
    "wots": "what's",
    "wats": "what's",
}

# A few emoji children type instead of words.
EMOJI = {
    "🐉": "dragon",
    "🐲": "dragon",
    "🦕": "dinosaur",
    "🦖": "dinosaur",
    "🐱": "cat",
    "🐈": "cat",
    "🐶": "dog",
    "🐕": "dog",
    "🦄": "unicorn",
    "🐰": "bunny",
    "🐻": "bear",
    "🦁": "lion",
    "🐯": "tiger",
    "🐙": "octopus",
    "🐳": "whale",
    "🐬": "dolphin",
    "🦈": "shark",
    "🐢": "turtle",
    "🤖": "robot",
    "👽": "alien",
    "👻": "ghost",
    "🧚": "fairy",
    "🧜": "mermaid",
    "🌋": "volcano",
    "🏰": "castle",
    "🚀": "rocket",
    "🌙": "moon",
    "🏝": "island",
    "🎂": "cake",
    "🍰": "cake",
    "🧁": "cupcake",
    "🔑": "key",
    "🗝": "key",
    "👑": "crown",
    "🎈": "balloon",
}

# People in the child's real life: "my nurse is called Jo" is not a story character to remember.
REAL_PEOPLE = wordset(
    "mum mom dad mummy mommy daddy mama papa nana nanny grandma grandpa granny grandad "
    "nurse doctor teacher sister brother friend cousin auntie aunt uncle carer neighbour"
)

PRONOUNS = wordset("he she it they him her them")
DETERMINERS = wordset("a an the my his her their our your some this that two three")
INTENSIFIERS = wordset("so very really super a bit quite too totally")
LINKING = wordset("is was are were looks looked feels felt got gets became becomes turned turns seems")
MOTION_PREPOSITIONS = wordset("to into through across inside onto")
PLACE_PREPOSITIONS = wordset("to into in at inside from near through across onto visit visited")

# Verb -> the list attribute it fills ('likes cake' -> likes: cake).
TASTES = {
    **dict.fromkeys(("likes", "liked", "loves", "loved", "adores", "enjoys"), "likes"),
    **dict.fromkeys(("eats", "ate", "munches", "gobbles"), "eats"),
    **dict.fromkeys(("hates", "hated", "dislikes"), "hates"),
    **dict.fromkeys(("fears",), "fears"),
}
# After a plural subject ('they like', 'Mo and Pip eat') the bare form is the verb.
PLURAL_TASTES = {"like": "likes", "love": "likes", "eat": "eats", "hate": "hates"}
