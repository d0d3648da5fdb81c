#!/usr/bin/python3
"""Projects `strider ssh --json` output onto the inference findings for the
golden tests: per connection the inferred summary, then each event's
frame, leg, kind and kind fields (metadata owned by the parser is left out,
so the golden files pin what sd_infer claims). Reads stdin, writes stdout."""
import json
import sys

CONN_KEYS = ("stream", "auth_success", "auth_attempts", "auth_method", "host_known",
             "session_kind", "agent_forwarding", "reverse_provisioned", "keystrokes")
SKIP = {"type", "uid", "stream", "ts", "frame", "frames", "leg", "kind", "dir",
        "confidence", "note", "start", "end", "latency_ms", "decision_s", "after_login_s",
        "duration_s"}
for line in sys.stdin:
    o = json.loads(line)
    if o.get("type") == "ssh":
        print("conn " + " ".join(f"{k}={o[k]}" for k in CONN_KEYS if k in o))
    elif o.get("type") == "event":
        f = " ".join(f"{k}={v}" for k, v in o.items() if k not in SKIP)
        print(f"  {o['frames'][0]}-{o['frames'][1]} {o['leg']} {o['kind']} {f}".rstrip())
