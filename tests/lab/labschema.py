"""Validator of NAME.labels.json (schema "strider-lab-labels/1", README.md).

Hand-written (no jsonschema dependency): returns a list of error strings.
"""

LEGS = ("forward", "reverse", "hop")
KEYS = ("char", "enter", "backspace", "tab", "arrow", "paste")
METHODS = ("none", "password", "publickey", "keyboard-interactive")
RESULTS = ("success", "failure")
# auth_closed: who closed during authentication and why (docs/events.md)
CLOSED_BY = ("client", "server")
CLOSED_REASONS = ("max_tries", "timeout", "gave_up", "refused")
DIRECTIONS = ("upload", "download")
FWD_MODES = ("L", "D", "R")
# what a forward's channel carries (docs/events.md forward, carried)
CARRIED = ("web", "bulk", "interactive", "idle", "ssh")


def carried_truth(f):
    """The class of a labelled forward's traffic: its "carried" label, or
    for the older fixtures "web" when it carried HTTP (a curl fetch)."""
    return f.get("carried") or ("web" if f.get("protocol") == "http" else None)
NUM = (int, float)


def _req(errs, obj, where, spec):
    """spec: {key: (types, nullable)}"""
    if not isinstance(obj, dict):
        errs.append("%s: not an object" % where)
        return False
    for k, (types, nullable) in spec.items():
        if k not in obj:
            errs.append("%s: missing %s" % (where, k))
        elif obj[k] is None:
            if not nullable:
                errs.append("%s.%s: null" % (where, k))
        elif not isinstance(obj[k], types) or (isinstance(obj[k], bool) and bool not in
                                                 (types if isinstance(types, tuple) else (types,))):
            errs.append("%s.%s: wrong type %s" % (where, k, type(obj[k]).__name__))
    return True


def validate(lab):
    e = []
    if not _req(e, lab, "labels", {
            "schema": (str, False), "scenario": (str, False), "seed": (int, False),
            "description": (str, False), "capture": (dict, False), "legs": (list, False),
            "auth": (list, False), "host_known": (bool, True), "agent_forwarding": (dict, False),
            "reverse": (dict, True), "keystrokes": (list, False), "commands": (list, False),
            "transfers": (list, False), "forwards": (list, False), "scripted": (bool, False),
            "idle": (list, False)}):
        return e
    if lab.get("schema") != "strider-lab-labels/1":
        e.append("labels.schema: unknown %r" % lab.get("schema"))
    cap = lab.get("capture") or {}
    _req(e, cap, "capture", {"file": (str, False), "packets": (int, False),
                             "first_ts": (NUM, False), "last_ts": (NUM, False)})
    lo = (cap.get("first_ts") or 0) - 120
    hi = (cap.get("last_ts") or 0) + 10

    def ts_ok(where, t, nullable=False):
        if t is None:
            if not nullable:
                e.append("%s: null time" % where)
            return
        if not isinstance(t, NUM) or not lo <= t <= hi:
            e.append("%s: time %r outside the capture" % (where, t))

    ids = set()
    for i, l in enumerate(lab.get("legs") or []):
        w = "legs[%d]" % i
        _req(e, l, w, {"leg": (str, False), "id": (str, False), "client_ip": (str, False),
                       "client_port": (int, True), "server_ip": (str, False),
                       "server_port": (int, False), "in_capture": (bool, False),
                       "carried_by": (str, True), "connect_ts": (NUM, False),
                       "suite": (dict, False), "client_software": (str, True),
                       "server_software": (str, True)})
        if l.get("leg") not in LEGS:
            e.append("%s.leg: %r" % (w, l.get("leg")))
        if l.get("id") in ids:
            e.append("%s.id: duplicate %r" % (w, l.get("id")))
        ids.add(l.get("id"))
        if l.get("in_capture") and l.get("client_port") is None:
            e.append("%s: in the capture but no client_port" % w)
        ts_ok(w + ".connect_ts", l.get("connect_ts"))
    for i, l in enumerate(lab.get("legs") or []):
        if isinstance(l, dict) and l.get("carried_by") and l["carried_by"] not in ids:
            e.append("legs[%d].carried_by: unknown leg %r" % (i, l["carried_by"]))
        if isinstance(l, dict) and not l.get("in_capture") and not l.get("carried_by"):
            e.append("legs[%d]: neither in the capture nor carried by a leg" % i)
    if not lab.get("legs"):
        e.append("legs: empty")
    legs_present = {l.get("leg") for l in lab.get("legs") or [] if isinstance(l, dict)}

    def leg_ok(where, v):
        if v not in LEGS:
            e.append("%s.leg: %r" % (where, v))
        elif v not in legs_present:
            e.append("%s.leg: %r has no entry in legs" % (where, v))

    for i, a in enumerate(lab.get("auth") or []):
        w = "auth[%d]" % i
        _req(e, a, w, {"leg": (str, False), "ts": (NUM, False), "method": (str, False),
                       "result": (str, False), "password_len": (int, True),
                       "automated": (bool, False)})
        leg_ok(w, a.get("leg"))
        if a.get("method") not in METHODS:
            e.append("%s.method: %r" % (w, a.get("method")))
        if a.get("result") not in RESULTS:
            e.append("%s.result: %r" % (w, a.get("result")))
        if a.get("method") == "password" and not isinstance(a.get("password_len"), int):
            e.append("%s: password attempt without password_len" % w)
        ts_ok(w, a.get("ts"))
    ac = lab.get("auth_closed")
    if ac is not None:  # optional: the connection closed during authentication
        _req(e, ac, "auth_closed", {"leg": (str, False), "ts": (NUM, False), "by": (str, False),
                                    "reason": (str, False), "attempts": (int, False)})
        leg_ok("auth_closed", ac.get("leg"))
        if ac.get("by") not in CLOSED_BY:
            e.append("auth_closed.by: %r" % ac.get("by"))
        if ac.get("reason") not in CLOSED_REASONS:
            e.append("auth_closed.reason: %r" % ac.get("reason"))
        ts_ok("auth_closed", ac.get("ts"))
    prev = {}
    for i, k in enumerate(lab.get("keystrokes") or []):
        w = "keystrokes[%d]" % i
        _req(e, k, w, {"leg": (str, False), "ts": (NUM, False), "key": (str, False),
                       "bytes": (int, False), "frame": (int, True)})
        leg_ok(w, k.get("leg"))
        if k.get("key") not in KEYS:
            e.append("%s.key: %r" % (w, k.get("key")))
        ts_ok(w, k.get("ts"))
        t = k.get("ts")
        if isinstance(t, NUM):
            if t < prev.get(k.get("leg"), 0):
                e.append("%s: not in time order within its leg" % w)
            prev[k.get("leg")] = t
    for i, c in enumerate(lab.get("commands") or []):
        w = "commands[%d]" % i
        _req(e, c, w, {"leg": (str, False), "ts": (NUM, False), "text": (str, False)})
        leg_ok(w, c.get("leg"))
        ts_ok(w, c.get("ts"))
    for i, x in enumerate(lab.get("transfers") or []):
        w = "transfers[%d]" % i
        _req(e, x, w, {"leg": (str, False), "direction": (str, False), "tool": (str, False),
                       "bytes": (int, False), "start": (NUM, False), "end": (NUM, False)})
        if x.get("direction") not in DIRECTIONS:
            e.append("%s.direction: %r" % (w, x.get("direction")))
        ts_ok(w + ".start", x.get("start"))
        ts_ok(w + ".end", x.get("end"))
        if isinstance(x.get("start"), NUM) and isinstance(x.get("end"), NUM) and x["end"] < x["start"]:
            e.append("%s: ends before it starts" % w)
    for i, f in enumerate(lab.get("forwards") or []):
        w = "forwards[%d]" % i
        _req(e, f, w, {"mode": (str, False), "leg": (str, False), "start": (NUM, False),
                       "bytes": (int, True)})
        if f.get("mode") not in FWD_MODES:
            e.append("%s.mode: %r" % (w, f.get("mode")))
        if "carried" in f and f["carried"] not in CARRIED:
            e.append("%s.carried: %r" % (w, f.get("carried")))
        ts_ok(w + ".start", f.get("start"))
    for i, p in enumerate(lab.get("inline_passwords") or []):  # optional
        w = "inline_passwords[%d]" % i
        _req(e, p, w, {"leg": (str, False), "typed_from": (NUM, False), "ts": (NUM, False),
                       "length": (int, False)})
        leg_ok(w, p.get("leg"))
        ts_ok(w + ".typed_from", p.get("typed_from"))
        ts_ok(w + ".ts", p.get("ts"))
    af = lab.get("agent_forwarding") or {}
    _req(e, af, "agent_forwarding", {"requested": (bool, False), "used": (bool, False),
                                     "used_ts": (list, False)})
    if af.get("used") and not af.get("requested"):
        e.append("agent_forwarding: used but not requested")
    x11 = lab.get("x11")  # optional: absent = X11 forwarding neither requested nor used
    if x11 is not None:
        _req(e, x11, "x11", {"requested": (bool, False), "used": (bool, False), "used_ts": (list, False)})
        if x11.get("used") and not x11.get("requested"):
            e.append("x11: used but not requested")
        for i, t in enumerate(x11.get("used_ts") or []):
            ts_ok("x11.used_ts[%d]" % i, t)
    rv = lab.get("reverse")
    if rv is not None:
        _req(e, rv, "reverse", {"provisioned": (bool, False), "provisioned_ts": (NUM, False),
                                "sessions": (list, False)})
        ts_ok("reverse.provisioned_ts", rv.get("provisioned_ts"))
        for i, s in enumerate(rv.get("sessions") or []):
            w = "reverse.sessions[%d]" % i
            _req(e, s, w, {"start_ts": (NUM, False), "login_success": (bool, False),
                           "end_ts": (NUM, False)})
            ts_ok(w + ".start_ts", s.get("start_ts"))
        if "reverse" not in legs_present and rv.get("sessions"):
            e.append("reverse: sessions but no reverse leg")
    return e
