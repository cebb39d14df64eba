#!/usr/bin/env python3
"""The live preview, measured in a real browser: from a save to the new page
shown.

    cargo build --release
    pip install websocket-client
    python3 examples/preview_bench.py PROJECT_DIR sources/x.md [--saves 20]

It copies the project, starts `pamphleteer preview STATEMENT --no-open
--port 0` (the release binary), opens the address in headless Chromium
(Debian's /usr/bin/chromium) through the DevTools protocol, and has the
page note the time of every change to its pages (a MutationObserver on
`#pages`: the new SVG put in, decoded). Then it saves the statement N times,
0.6 s apart, each save a new sentence at the end, and for each takes the
time from the write to the first change of the pages after it (both clocks
are this machine's wall clock). It prints the median, fastest and slowest.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    args = sys.argv[1:]
    saves = 20
    if "--saves" in args:
        i = args.index("--saves")
        saves = int(args[i + 1])
        del args[i : i + 2]
    if len(args) != 2:
        print(__doc__)
        sys.exit(2)
    project, statement = args
    exe = os.environ.get("PAMPHLETEER", os.path.join(HERE, "target/release/pamphleteer"))
    work = tempfile.mkdtemp()
    procs = []
    try:
        root = os.path.join(work, "p")
        shutil.copytree(project, root)
        shutil.rmtree(os.path.join(root, "out"), ignore_errors=True)
        preview = subprocess.Popen(
            [exe, "preview", statement, "--no-open", "--port", "0"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        procs.append(preview)
        url = preview.stdout.readline().strip()
        chromium = subprocess.Popen(
            [
                "/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--remote-debugging-port=0",
                f"--user-data-dir={work}/chromium", "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs.append(chromium)
        ws_url = None
        while ws_url is None:
            line = chromium.stderr.readline()
            if not line:
                sys.exit("chromium did not start")
            if "DevTools listening on " in line:
                ws_url = line.split("DevTools listening on ")[1].strip()
        port = ws_url.split(":")[2].split("/")[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
        page = next(t for t in targets if t["type"] == "page")
        ws = websocket.create_connection(page["webSocketDebuggerUrl"])
        counter = [0]

        def call(method, **params):
            counter[0] += 1
            ws.send(json.dumps({"id": counter[0], "method": method, "params": params}))
            while True:
                reply = json.loads(ws.recv())
                if reply.get("id") == counter[0]:
                    return reply.get("result", {})

        def evaluate(expr):
            r = call("Runtime.evaluate", expression=expr, returnByValue=True)
            return r.get("result", {}).get("value")

        call("Page.enable")
        call("Page.navigate", url=url)
        deadline = time.time() + 30
        while time.time() < deadline and not evaluate("document.querySelectorAll('#pages img').length"):
            time.sleep(0.05)
        evaluate(
            "window.__changed = 0; new MutationObserver(() => { window.__changed = Date.now(); })"
            ".observe(document.getElementById('pages'), {subtree: true, childList: true, attributes: true})"
        )
        source = os.path.join(root, statement)
        base = open(source).read()
        times = []
        for i in range(saves):
            time.sleep(0.6)
            t0 = time.time() * 1000
            with open(source, "w") as f:
                f.write(base + f"\n\nSaved {i + 1} times, and shown.\n")
            while time.time() * 1000 - t0 < 10000:
                changed = evaluate("window.__changed") or 0
                if changed > t0:
                    times.append(changed - t0)
                    break
                time.sleep(0.005)
        ws.close()
        times.sort()
        print(
            "preview, save to page shown: median %.0f ms, fastest %.0f, slowest %.0f over %d saves"
            % (statistics.median(times), times[0], times[-1], len(times))
        )
    finally:
        for p in procs:
            p.terminate()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
