"""Writes chat-templates.json: templates rendered by transformers' apply_chat_template(tokenize=False)."""
import json
import os
import sys

from transformers import PreTrainedTokenizerFast

HERE = os.path.dirname(os.path.abspath(__file__))
TOKENIZER_DIR = sys.argv[1]  # src/main/resources/tokenizer/gpt-4

CHATML = open(os.path.join(TOKENIZER_DIR, "tokenizer_config.json")).read()
CHATML = json.loads(CHATML)["chat_template"]
LLAMA3_LIKE = (
    "{{- bos_token }}{%- for message in messages %}{{- '<|start_header_id|>' + message['role'] + "
    "'<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}"
)
# Block tags on their own indented lines: trim_blocks and lstrip_blocks decide the whitespace.
MISTRAL_LIKE = """{{ bos_token }}
{% for message in messages %}
    {% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}
        {{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}
    {% endif %}
    {% if message['role'] == 'user' %}
[INST] {{ message['content'] }} [/INST]
    {% elif message['role'] == 'assistant' %}
{{ message['content'] ~ eos_token }}
    {% endif %}
{% endfor %}
"""
SYSTEM_AWARE = (
    "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
    "{% set system = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
    "{% set system = 'You are a helpful assistant.' %}{% endif %}"
    "<<SYS>>{{ system }}<</SYS>>\n"
    "{% for message in loop_messages %}{{ loop.index }}/{{ loop_messages | length }} "
    "{{ message.role | upper }}: {{ message.content }}{% if not loop.last %}\n{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}\nASSISTANT:{% endif %}"
)

CHATS = [
    [{"role": "user", "content": "What is 2+2?"}],
    [{"role": "user", "content": "  Pick one.\nA. x\nB. y  "}, {"role": "assistant", "content": "B"}],
    [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
     {"role": "assistant", "content": "Hello"}, {"role": "user", "content": "Bye é ✓"}],
]


def main():
    tokenizer = PreTrainedTokenizerFast.from_pretrained(TOKENIZER_DIR)
    cases = []
    for name, template in (("chatml", CHATML), ("llama3-like", LLAMA3_LIKE), ("mistral-like", MISTRAL_LIKE),
                           ("system-aware", SYSTEM_AWARE)):
        for messages in CHATS:
            for generation_prompt in (False, True):
                case = {"template": name, "messages": messages, "add_generation_prompt": generation_prompt}
                try:
                    case["rendered"] = tokenizer.apply_chat_template(
                        messages, chat_template=template, tokenize=False, add_generation_prompt=generation_prompt)
                except Exception as e:  # the template's raise_exception
                    case["error"] = str(e)
                cases.append(case)
    out = {"special_tokens": {k: v for k, v in tokenizer.special_tokens_map.items()},
           "templates": {"chatml": CHATML, "llama3-like": LLAMA3_LIKE, "mistral-like": MISTRAL_LIKE,
                         "system-aware": SYSTEM_AWARE},
           "cases": cases}
    with open(os.path.join(HERE, "chat-templates.json"), "w") as f:
        json.dump(out, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
