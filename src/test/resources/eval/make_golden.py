# Makes the Python-side vectors the eval tests compare against (CPython 3.11.7, Unicode 14.0.0):
#   python3 make_golden.py ../../../main/resources/eval/en-basic
# word-chars.txt: the code point ranges that re's \w matches in a str pattern (one "first last" hex pair a line).
# random.json: random.seed(s) then getrandbits/randint draws, and WordSortingLoader's first samples (finetuning
# finetune/datasets/generated/word_sorting_loader.py @ed975ab5, the loop copied below) for several seeds.
import hashlib
import json
import random
import re
import sys
import unicodedata

word = re.compile(r"\w")
ranges, start = [], None
for cp in range(0x110000):
    is_word = bool(word.match(chr(cp)))
    if is_word and start is None:
        start = cp
    if not is_word and start is not None:
        ranges.append((start, cp - 1))
        start = None
if start is not None:
    ranges.append((start, 0x10FFFF))
with open("word-chars.txt", "w") as f:
    f.write("# re \\w in CPython %s, Unicode %s\n" % (sys.version.split()[0], unicodedata.unidata_version))
    for a, b in ranges:
        f.write("%x %x\n" % (a, b))

with open(sys.argv[1]) as f:
    words = [w.lower() for w in f.read().splitlines() if w.strip() and len(w) >= 3]

seeds = [0, 1, 42, 2**32, 2**64 + 5, int(hashlib.sha256(b"0x5e1ec7").hexdigest(), 16)]
out = []
for s in seeds:
    random.seed(s)
    bits = [random.getrandbits(32) for _ in range(4)]
    ints = [random.randint(2, 20) for _ in range(8)]
    random.seed(s)
    samples = []
    for _ in range(5):
        n = random.randint(2, 20)
        chosen = random.sample(words, n)
        samples.append(["Sort the following words alphabetically: " + " ".join(chosen) + ". ", " ".join(sorted(chosen))])
    random.seed(s)
    small = random.sample(list(range(10)), 4)  # the pool branch of sample(): n <= setsize
    out.append({"seed": str(s), "getrandbits32": bits, "randint_2_20": ints, "word_sorting": samples,
                "sample_range10_k4": small})
with open("random.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
