# Makes golden.json, the Python-side vectors the IFEval tests compare against. Needs NLTK (3.8 or 3.9; only the
# untrained Punkt tokenizer is used, no nltk_data) and a checkout of macrocosm-os/finetuning:
#   python3 make_golden.py /path/to/finetuning ../../../../main/java/sn37/miner/eval/ifeval/Keywords.java
# finetuning's modules are imported from the checkout, not copied. Two stand-ins: torch (only named in a type) and
# nltk.pos_tag, which validators back with the averaged perceptron tagger; the stand-in tags a word "NN" when
# Keywords.isInteresting would keep it and "DT" otherwise, reading the closed-class list from Keywords.java, so the
# samples check our draws and prompts, not the tagger.
import difflib
import importlib
import json
import random
import re
import sys
import types

root, keywords_java = sys.argv[1], sys.argv[2]

sys.modules["torch"] = types.SimpleNamespace(Tensor=object)
for package in ["finetune", "finetune.eval", "finetune.eval.if_eval", "finetune.datasets",
                "finetune.datasets.generated"]:
    module = types.ModuleType(package)
    module.__path__ = [root + "/" + package.replace(".", "/")]
    sys.modules[package] = module

import nltk  # noqa: E402

java = open(keywords_java).read()
closed = set(re.findall(r'"([a-z]+)"', java[java.index("CLOSED_CLASS = Set.of("):java.index("private Keywords()")]))
nltk.data.find = lambda *a, **k: None
nltk.pos_tag = lambda words: [(w, "NN" if len(w) > 2 and any(c.isalpha() for c in w) and w.lower() not in closed
                               else "DT") for w in words]

rule_factory = importlib.import_module("finetune.eval.if_eval.rule_factory")
mmlu_parser = importlib.import_module("finetune.datasets.generated.mmlu_parser")
from nltk.tokenize.punkt import PunktSentenceTokenizer  # noqa: E402

out = {"nltk": nltk.__version__, "python": sys.version.split()[0]}

# difflib ratio, with the IFEval junk (space, tab) and without; long ones reach autojunk's 200 elements.
long_a = "the model answers the question about photosynthesis in plants and light " * 4
long_b = "the model replies to a question about respiration in animals and oxygen " * 4
pairs = [["", ""], ["abc", ""], ["abcd", "bcde"], ["hello world", "hello  world"], ["a\tb c", "abc"],
         ["The capital of France is Paris.", "The capital of Texas is Austin."],
         ["private Thread currentThread;", "private volatile Thread currentThread;"],
         [long_a, long_b], [long_a, long_a[::-1]], ["x" * 250, "x" * 120 + "y" * 130],
         ["naïve café ünïcödé", "naive cafe unicode"]]
out["difflib"] = [{"a": a, "b": b,
                   "junk": difflib.SequenceMatcher(lambda x: x in " \t", a, b).ratio(),
                   "plain": difflib.SequenceMatcher(None, a, b).ratio()} for a, b in pairs]

texts = ["", "   ", "One sentence", "Hi. There.", "e.g. the dog. J. Smith went home! Really?? Yes...",
         "In 1999. the end", "In 1999. The end.", "He said (it works.) Then left.", "\"Quoted.\" Next one.",
         "Wait... what? No!", "A. B. C. D.", "First line.\nSecond line.\n\nThird after a blank.",
         "Mr. Smith bought 3.5 lbs. of apples. He paid $4.50.", "Ends with space. ",
         "U.S.A. is big. it is.", "Numbers: 1. first 2. second 3. Third", "Is it? yes. It is!",
         "Hello.World. Again", "Tab\tseparated. Next\u00a0sentence. Last", "Ellipsis.. then. More",
         "Dashes -- like this. And--this. End", "Ελληνικά. Κείμενο εδώ. Τέλος"]
punkt = PunktSentenceTokenizer()
out["punkt"] = [{"text": t, "sentences": punkt.tokenize(t)} for t in texts]

# SN1's one-shot challenges: the parser reads the example's question and its one-word options, so such rows are
# all filtered out (as on validators at HEAD); the other rows carry no example and give the pairs.
prefix = "[Example 1]\nWhat is the capital of Texas?\nA. Paris\nB. London\nC. Austin\nD. Houston\nAnswer: C\n\n" \
         "[Input Question]\n"
rows = [
    ["Which process do plants use to make food?\nA. Cellular respiration in mitochondria\n"
     "B. Photosynthesis using sunlight\nC. Fermentation of sugars\nD. Nitrogen fixation by bacteria\nAnswer: ", "B"],
    [prefix + "What causes the seasons on Earth?\nA. The tilt of the Earth's axis\nB. Distance from the Sun\n"
     "C. Ocean currents\nD. The Moon's gravity\nAnswer: ", "A"],
    ["What causes the seasons on Earth?\n\nA. The tilt of the Earth's axis\nB. Distance from the Sun\n"
     "C. Ocean currents\nD. The Moon's gravity\nAnswer: ", "A"],
    ["Who wrote the novel?\nA. Tolstoy\nB. Dickens\nC. Austen\nD. Twain", "C"],
    ["[Input Question] Which organ pumps blood through the body? A. The human heart B. The lungs C. The liver "
     "D. The kidneys", "A"],
    ["Context first.\nWhat is the boiling point of water at sea level?\nA. 50 degrees Celsius\n"
     "B. 75 degrees Celsius\nC. 100 degrees Celsius\nD. 150 degrees Celsius", "C"],
    ["No options in this challenge at all.", "D"],
    ["Which gas do humans exhale?\nA. Pure oxygen only\nB. Helium and neon\nC. Mostly argon\n"
     "D. Carbon dioxide, with some water vapour.", "D"],
    ["Why is the sky blue?\nA. Rayleigh scattering of sunlight\nB. Reflection of the ocean\n"
     "C. Ozone absorbs red light\nD. Dust in the upper atmosphere", "A"],
    ["What does a thermometer measure?\nA. Air pressure\nB. Wind speed\nC. Temperature of things\n"
     "D. Relative humidity", "C"],
    ["Which of these is a prime number?\nA. 21 and 22\nB. It is 17\nC. 15 or 25\nD. The 9", "B"],
    ["What is the main function of red blood cells?\nA. Fighting infections in tissue\n"
     "B. Carrying oxygen around the body\nC. Clotting blood at wounds\nD. Producing hormones for growth", "B"],
    [prefix + "Which planet is known as the red planet?\nA. Venus is\nB. Mars, the fourth planet\nC. Jupiter\n"
     "D. Saturn", "B"],
    ["Which planet is known as the red planet?\nA. Venus is\nB. Mars, the fourth planet\nC. Jupiter\n"
     "D. Saturn", "B"],
    ["What do bees make?\nA. The of and\nB. Wax\nC. Silk\nD. Milk", "A"],
    ["What do bees collect?\nA. Nectar\nB. Sweet nectar from flowers\nC. Silk\nD. Milk", "B"],
]
parsed = [mmlu_parser.extract_q_and_a_text(c, r) for c, r in rows]
out["rows"] = [{"challenge": c, "reference": r, "parsed": p} for (c, r), p in zip(rows, parsed)]
qas = [qa for qa in parsed if qa is not None and len(qa[1].split()) >= 2]

responses = ["", "HELLO WORLD, HOW ARE YOU?", "all lower case here. no commas at all",
             "\"Photosynthesis uses sunlight. Plants make food.\"",
             "* one\n* two\n  * three\nnot a bullet\n*four",
             "The tilt of the axis causes seasons. Hope that helps.",
             "Oxygen, oxygen and OXYGEN! Carrying oxygen matters. Is there anything else I can help with?",
             "word " * 30, "Mars is red. Mars is the fourth planet. Let me know if you have additional questions."]
samples = []
for seed in [1, 42, 2**64 + 5, 7919]:
    random.seed(seed)
    built = []
    for qa1, qa2 in zip(qas[:20], qas[1:21]):
        s = rule_factory.generate_if_eval_sample(qa1, qa2, 2, 5, rule_factory.IfEvalVersion.V2)
        built.append({"prompt_1": s.prompt_1, "prompt_2": s.prompt_2,
                      "rules": [r.rule_id.name for r in s.rules],
                      "matches": [[[r.matches(t, i) for r in s.rules] for t in responses] for i in (0, 1)]})
    samples.append({"seed": str(seed), "samples": built})
out["responses"] = responses

# random.shuffle and random.choice, which the rule factory draws with besides randint.
out["random"] = []
for seed in [1, 42, 2**64 + 5]:
    random.seed(seed)
    shuffled = list(range(13))
    random.shuffle(shuffled)
    out["random"].append({"seed": str(seed), "shuffle_range13": shuffled,
                          "choices_of_5": [random.choice([25, 30, 35, 40, 45]) for _ in range(10)]})
out["samples"] = samples

with open("golden.json", "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
