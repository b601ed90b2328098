"""Drives the gateway with the official Python SDKs (openai, anthropic) as a user would.

Reads GATEHOUSE_URL and GATEHOUSE_KEY, prints one JSON object with what each call returned;
the jest test (test/e2e/python-sdks.test.ts) asserts on it. Any SDK error propagates (exit 1).
"""
import json
import os
import sys

import anthropic
import openai
from pydantic import BaseModel

URL = os.environ["GATEHOUSE_URL"]
KEY = os.environ["GATEHOUSE_KEY"]
MODEL = os.environ.get("GATEHOUSE_MODEL", "local-model")

oa = openai.OpenAI(api_key=KEY, base_url=f"{URL}/v1", max_retries=0)
an = anthropic.Anthropic(api_key=KEY, base_url=URL, max_retries=0)
out = {}


class Person(BaseModel):
    name: str
    age: int
    tags: list[str]
    nickname: str | None


out["retrieve"] = oa.models.retrieve(MODEL).model_dump()
listed = [m.id for m in oa.models.list()]
out["listed"] = MODEL in listed

parsed = oa.chat.completions.parse(
    model=MODEL,
    messages=[{"role": "user", "content": "Describe a person"}],
    response_format=Person,
)
out["parsed"] = parsed.choices[0].message.parsed.model_dump()

weather = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}
messages = [{"role": "user", "content": "Weather in Oslo?"}]
first = oa.chat.completions.create(model=MODEL, messages=messages, tools=[weather])
call = first.choices[0].message.tool_calls[0]
messages.append(first.choices[0].message.model_dump())
messages.append({"role": "tool", "tool_call_id": call.id, "content": "sunny"})
second = oa.chat.completions.create(model=MODEL, messages=messages, tools=[weather])
out["openai_round_trip"] = {
    "first_finish": first.choices[0].finish_reason,
    "tool": call.function.name,
    "second_finish": second.choices[0].finish_reason,
    "second_text": second.choices[0].message.content,
}

short = oa.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Say a lot"}], max_tokens=3)
out["max_tokens"] = {"finish": short.choices[0].finish_reason, "completion_tokens": short.usage.completion_tokens}

tool = {"name": "get_weather", "input_schema": weather["function"]["parameters"]}
history = [{"role": "user", "content": "Weather in Oslo?"}]
msg = an.messages.create(model=MODEL, max_tokens=256, messages=history, tools=[tool])
use = next(b for b in msg.content if b.type == "tool_use")
dumped = [b.model_dump() for b in msg.content]
history.append({"role": "assistant", "content": dumped})
history.append({"role": "user", "content": [{"type": "tool_result", "tool_use_id": use.id, "content": "sunny"}]})
final = an.messages.create(model=MODEL, max_tokens=256, messages=history, tools=[tool])
out["anthropic_round_trip"] = {
    "dumped_keys": sorted(dumped[-1].keys()),
    "first_stop": msg.stop_reason,
    "final_stop": final.stop_reason,
    "final_text": final.content[0].text,
}

json.dump(out, sys.stdout)
