#!/usr/bin/env python3
"""Writes a long meeting for the timeline benches (issue 13): a
nine_grids_view job with speaker priority and a 5 s reconnect grace, and
10,000 timed events of 200 users over about two hours: everyone joins in the
first minutes, then people speak (often), turn their camera off and on,
share their screen, and leave and come back (some within the grace).
Deterministic (a fixed seed).

    python3 benches/meeting.py OUT_DIR   # writes OUT_DIR/job.json, OUT_DIR/events.json
"""
import json, os, random, sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = random.Random(200)
users = [f"u{i}" for i in range(1, 201)]
present, camera_off, sharing = set(), set(), set()
events, at = [], 0
for user in users:
    at += rng.randrange(50, 400)
    events.append({"type": "join", "user_id": user, "at": at})
    present.add(user)
while len(events) < 10_000:
    at += rng.randrange(100, 1500)
    user = rng.choice(users)
    roll = rng.random()
    if user not in present:
        events.append({"type": "join", "user_id": user, "at": at})
        present.add(user)
        camera_off.discard(user)
    elif roll < 0.45:
        events.append({"type": "speaking", "user_id": user, "at": at})
    elif roll < 0.60:
        kind = "video_on" if user in camera_off else "video_off"
        camera_off.symmetric_difference_update({user})
        events.append({"type": kind, "user_id": user, "at": at})
    elif roll < 0.65:
        kind = "screen_stop" if user in sharing else "screen_start"
        sharing.symmetric_difference_update({user})
        events.append({"type": kind, "user_id": user, "at": at})
    else:
        events.append({"type": "leave", "user_id": user, "at": at})
        present.discard(user)
        sharing.discard(user)
job = {"mix_param": {"room_id": "bench", "encode_template": "1920x1080_30_4620",
                     "layout_template": "nine_grids_view"},
       "layout_options": {"speaker_priority": True, "reconnect_grace_ms": 5000}}
json.dump(job, open(os.path.join(out, "job.json"), "w"))
json.dump(events, open(os.path.join(out, "events.json"), "w"))
