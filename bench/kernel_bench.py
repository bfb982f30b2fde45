"""The real-kernel row of `npm run bench`: start a Jupyter kernel through jupyter_client (as JupyterLab,
nbconvert and the tests do), run the given cells in it, and print what the last cell printed.

Input (stdin, JSON): {"kernel": name, "jupyter_path": dir holding kernels/<name>/kernel.json, "cwd": dir,
"cells": [source, ...], "timeout": seconds}. Output: one JSON line {"stdout": text of the last cell,
"seconds": [seconds per cell], "errors": [...]}.
"""
import json
import os
import sys
import time

spec = json.load(sys.stdin)
os.environ["JUPYTER_PATH"] = spec["jupyter_path"]
from jupyter_client.manager import start_new_kernel  # noqa: E402  (after JUPYTER_PATH is set)

km, kc = start_new_kernel(kernel_name=spec["kernel"], cwd=spec["cwd"])
out = {"stdout": "", "seconds": [], "errors": []}
try:
    for i, source in enumerate(spec["cells"]):
        t0 = time.perf_counter()
        msg_id = kc.execute(source)
        text = []
        while True:
            msg = kc.get_iopub_msg(timeout=spec["timeout"])
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream" and content["name"] == "stdout":
                text.append(content["text"])
            elif kind == "stream" and content["name"] == "stderr":
                out["errors"].append(f"cell {i + 1}: {content['text'][:500]}")
            elif kind == "error":
                out["errors"].append(f"cell {i + 1}: {content.get('evalue', '')}")
            elif kind == "status" and content["execution_state"] == "idle":
                break
        out["seconds"].append(time.perf_counter() - t0)
        out["stdout"] = "".join(text)
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
print(json.dumps(out))
