//! `pamphleteer preview` as a user runs it: the real binary on a scratch
//! project, spoken to over HTTP as a browser would (raw requests, so that
//! no client tidies a path up), and, where chromium is installed, a real
//! browser following a save through the DevTools protocol. Also where the
//! preview's spots put each Markdown line on a page, checked in-process
//! against the laid-out text.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long anything may take before a test gives up: generous, for a
/// debug build on a busy machine. Nothing is timed otherwise.
const PATIENCE: Duration = Duration::from_secs(180);

const STATEMENT: &str = "---
title: Open the Harbour Baths
date: 2026-03-01
---

The harbour baths have been closed for three summers. The council says the
pumps are broken and that there is no money; we say the money went elsewhere.

![A square of the old tiles](../img/square.png)

We call on every neighbour to come to the meeting. Bring the children, bring
the word PELICAN to the council, bring your own towel.

## What we want

- The baths open by June.
- A lifeguard paid for the whole season.
";

/// A scratch project (tests/projects/good) with the statement above,
/// which shows an image.
fn scratch() -> common::Scratch {
    let p = common::project("good");
    std::fs::create_dir_all(p.path().join("img")).unwrap();
    std::fs::copy(
        common::fixtures().join("img/square.png"),
        p.path().join("img/square.png"),
    )
    .unwrap();
    std::fs::write(p.path().join("sources/baths.md"), STATEMENT).unwrap();
    p
}

/// Saves a file as many editors do: a temporary file renamed over it.
fn save(path: &Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// The preview running, ended when dropped.
struct Preview {
    child: Child,
    port: u16,
    stderr: Arc<Mutex<String>>,
}

impl Preview {
    fn start(dir: &Path, source: &str) -> Preview {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pamphleteer"))
            .args(["preview", source, "--port", "0", "--no-open"])
            .current_dir(dir)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err = child.stderr.take().unwrap();
        let kept = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                kept.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let (tx, rx) = channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(out).lines();
            if let Some(Ok(first)) = lines.next() {
                let _ = tx.send(first);
            }
            // (The rest is drained, so that the preview never blocks.)
            for _ in lines {}
        });
        let mut preview = Preview {
            child,
            port: 0,
            stderr,
        };
        let first = rx.recv_timeout(PATIENCE).unwrap_or_else(|_| {
            panic!(
                "no address on the first line; stderr:\n{}",
                preview.stderr()
            )
        });
        let port = first
            .strip_prefix("http://127.0.0.1:")
            .and_then(|r| r.strip_suffix('/'))
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the first line is not the address: {first:?}"));
        preview.port = port;
        preview
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// A raw GET: the path goes on the wire exactly as given.
    fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        self.get_as(path, &format!("127.0.0.1:{}", self.port))
    }

    fn get_as(&self, path: &str, host: &str) -> (u16, String, Vec<u8>) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut all = Vec::new();
        s.read_to_end(&mut all).unwrap();
        let end = all
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(&all)));
        let head = String::from_utf8_lossy(&all[..end]).into_owned();
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = all[end + 4..].to_vec();
        let chunked = head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked");
        (status, head, if chunked { dechunk(&body) } else { body })
    }

    fn text(&self, path: &str) -> String {
        let (status, _, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}");
        String::from_utf8(body).unwrap()
    }

    fn state(&self) -> Value {
        serde_json::from_str(&self.text("/state.json")).unwrap()
    }

    /// The state once `ok` says so, or a failure after a long wait.
    fn state_when(&self, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
        let started = Instant::now();
        loop {
            let state = self.state();
            if ok(&state) {
                return state;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "waited in vain for {what}; last state {state}; stderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The events of `/events`, each its `data` as JSON.
    fn events(&self) -> Receiver<Value> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            s,
            "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        )
        .unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(s).lines() {
                let Ok(line) = line else { break };
                if let Some(data) = line.strip_prefix("data: ")
                    && tx.send(serde_json::from_str(data).unwrap()).is_err()
                {
                    break;
                }
            }
        });
        rx
    }
}

/// A body sent in chunks, whole.
fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = body.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = std::str::from_utf8(&body[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[eol + 2..eol + 2 + size]);
        body = &body[eol + 2 + size + 2..];
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The next event that `ok` accepts.
fn event_when(events: &Receiver<Value>, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let started = Instant::now();
    while started.elapsed() < PATIENCE {
        if let Ok(e) = events.recv_timeout(Duration::from_secs(1))
            && ok(&e)
        {
            return e;
        }
    }
    panic!("no event for {what}");
}

fn good_version(state: &Value) -> u64 {
    state["good"]["version"].as_u64().unwrap_or(0)
}

fn page_urls(state: &Value) -> Vec<String> {
    state["good"]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["svg"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_save_shows_in_the_pages_and_the_text_and_a_bad_one_keeps_them() {
    let p = scratch();
    let preview = Preview::start(p.path(), "sources/baths.md");
    let (status, head, body) = preview.get("/");
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/html")
    );
    assert!(String::from_utf8_lossy(&body).contains("EventSource(\"/events\")"));

    let state = preview.state_when("the first build", |s| !s["good"].is_null());
    assert!(state["error"].is_null(), "{state}");
    let pages = page_urls(&state);
    assert!(!pages.is_empty());
    let first_svg = preview.text(&pages[0]);
    for url in &pages {
        let svg = preview.text(url);
        assert!(svg.starts_with("<svg"), "{}", &svg[..100.min(svg.len())]);
    }
    let xhtml_url = state["good"]["xhtml"].as_str().unwrap().to_string();
    let xhtml = preview.text(&xhtml_url);
    assert!(xhtml.contains("PELICAN"));
    // The text's stylesheet and its image are served where it says.
    assert!(xhtml.contains("href=\"style.css\""));
    assert_eq!(preview.get("/ebook/style.css").0, 200);
    assert!(xhtml.contains("src=\"/files/img/square.png\""), "{xhtml}");
    let (status, head, png) = preview.get("/files/img/square.png");
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: image/png")
    );
    assert_eq!(png, std::fs::read(p.path().join("img/square.png")).unwrap());
    // The source pane's text, and spots that point into it.
    let md = preview.text(state["good"]["markdown"].as_str().unwrap());
    assert_eq!(md, STATEMENT);
    let spots = state["good"]["pages"][0]["spots"].as_array().unwrap();
    assert!(spots.iter().any(|s| s[4].as_u64() == Some(12)), "{spots:?}");

    // A save: an event, then the new text in the e-book and new pages.
    let events = preview.events();
    let first = event_when(&events, "the state as it is", |_| true);
    let before = first["version"].as_u64().unwrap();
    let source = p.path().join("sources/baths.md");
    save(&source, &STATEMENT.replace("PELICAN", "CORMORANT"));
    let e = event_when(&events, "the new build", |e| {
        e["version"].as_u64() > Some(before) && e["ok"] == true
    });
    let state = preview.state_when("the new build's state", |s| {
        good_version(s) >= e["good"].as_u64().unwrap()
    });
    let new_xhtml = preview.text(state["good"]["xhtml"].as_str().unwrap());
    assert!(new_xhtml.contains("CORMORANT") && !new_xhtml.contains("PELICAN"));
    let new_pages = page_urls(&state);
    assert_ne!(
        new_pages, pages,
        "the pages' addresses follow their content"
    );
    let good_svg = preview.text(&new_pages[0]);
    assert_ne!(good_svg, first_svg);

    // A save that breaks the front matter: an error event, the message
    // `build` prints (file, line, hint) and the last good pages kept.
    let good = good_version(&state);
    save(
        &source,
        &STATEMENT.replace("title: Open the Harbour Baths", "title: [Open the"),
    );
    let e = event_when(&events, "the failed build", |e| e["ok"] == false);
    assert_eq!(e["good"].as_u64(), Some(good));
    let state = preview.state();
    let error = state["error"].as_str().expect("an error");
    // (YAML finds the unclosed list on the line after it.)
    assert!(error.contains("sources/baths.md:3:"), "{error}");
    assert!(error.contains("= hint: "), "{error}");
    assert_eq!(good_version(&state), good);
    assert_eq!(page_urls(&state), new_pages);
    assert_eq!(preview.text(&new_pages[0]), good_svg);
    assert!(preview.text("/ebook/text.xhtml").contains("CORMORANT"));

    // A good save mends it.
    save(&source, &STATEMENT.replace("PELICAN", "HERON"));
    event_when(&events, "the mended build", |e| {
        e["ok"] == true && e["good"].as_u64() > Some(good)
    });
    let state = preview.state();
    assert!(state["error"].is_null(), "{state}");
    assert!(preview.text("/ebook/text.xhtml").contains("HERON"));
}

#[test]
fn a_change_to_the_project_file_rereads_it_and_a_broken_one_says_why() {
    let p = scratch();
    let preview = Preview::start(p.path(), "sources/baths.md");
    let state = preview.state_when("the first build", |s| !s["good"].is_null());
    let css = preview.text(state["good"]["css"].as_str().unwrap());
    assert!(css.contains("#1f4e79"), "{css}");
    let toml = p.path().join("pamphleteer.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let events = preview.events();
    event_when(&events, "the state as it is", |_| true);
    save(&toml, &text.replace("#1f4e79", "#7a1f1f"));
    event_when(&events, "the build with the new accent", |e| {
        e["ok"] == true && e["good"].as_u64() > Some(good_version(&state))
    });
    assert!(preview.text("/ebook/style.css").contains("#7a1f1f"));
    save(
        &toml,
        &text.replace("font-size = 11", "font-size = \"big\""),
    );
    event_when(&events, "the broken project file", |e| e["ok"] == false);
    let state = preview.state();
    let error = state["error"].as_str().unwrap().to_string();
    assert!(error.contains("pamphleteer.toml"), "{error}");
    assert!(preview.text("/ebook/style.css").contains("#7a1f1f"));
    // While the project file is wrong, a save of the statement builds
    // nothing and its error stays; mended, the project builds again.
    let source = p.path().join("sources/baths.md");
    save(&source, &STATEMENT.replace("PELICAN", "HERON"));
    save(&toml, &text.replace("#1f4e79", "#1f7a1f"));
    let e = event_when(&events, "the mended project file", |e| e["ok"] == true);
    assert_eq!(
        e["version"].as_u64(),
        Some(state["version"].as_u64().unwrap() + 1)
    );
    assert!(preview.text("/ebook/style.css").contains("#1f7a1f"));
    assert!(preview.text("/ebook/text.xhtml").contains("HERON"));
}

#[test]
fn nothing_but_the_preview_and_its_images_is_served() {
    let p = scratch();
    // A file outside the project, and an image that is a symbolic link
    // (inside the root, to begin with).
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.png"), "SECRET").unwrap();
    std::fs::copy(
        p.path().join("img/square.png"),
        p.path().join("img/real.png"),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("real.png", p.path().join("img/link.png")).unwrap();
    #[cfg(unix)]
    std::fs::write(
        p.path().join("sources/baths.md"),
        STATEMENT.replace("../img/square.png", "../img/link.png"),
    )
    .unwrap();
    let preview = Preview::start(p.path(), "sources/baths.md");
    preview.state_when("the first build", |s| !s["good"].is_null());
    let refused = [
        "/../../etc/passwd",
        "/../../../../../../etc/passwd",
        "/files/../../etc/passwd",
        "/files/../pamphleteer.toml",
        "/files/%2e%2e/%2e%2e/etc/passwd",
        "/files/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/files/img/%2e%2e/pamphleteer.toml",
        "/files/img/..%2f..%2fpamphleteer.toml",
        "/files//etc/passwd",
        "/files/%2Fetc%2Fpasswd",
        "/files/img/real.png", // a project file the text does not show
        "/files/img/",
        "/files/img",
        "/files/",
        "/pamphleteer.toml",
        "/sources/baths.md",
        "/ebook/../pamphleteer.toml",
        "/ebook/fonts/../../pamphleteer.toml",
        "/ebook/",
        "/pages/",
        "/pages/0.svg",
        "/pages/99.svg",
        "/pages/-1.svg",
        "/pages/1.svg/../../etc/passwd",
        "%2e%2e/%2e%2e/etc/passwd",
        "http://127.0.0.1/../../etc/passwd",
    ];
    for path in refused {
        let (status, _, body) = preview.get(path);
        assert_eq!(status, 404, "GET {path} gave {status}");
        assert!(!String::from_utf8_lossy(&body).contains("root:"));
    }
    // What the text shows is served: through the link while it stays in
    // the root, and not once it leads out.
    #[cfg(unix)]
    {
        assert_eq!(preview.get("/files/img/link.png").0, 200);
        let link = p.path().join("img/link.png");
        std::fs::remove_file(&link).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.png"), &link).unwrap();
        // (The rebuild refuses the image; the last good build still names
        // it, and the server must still refuse to follow it out.)
        preview.state_when("the failed build", |s| !s["error"].is_null());
        let (status, _, body) = preview.get("/files/img/link.png");
        assert_eq!(status, 404);
        assert!(!String::from_utf8_lossy(&body).contains("SECRET"));
    }
    // A page that gives our address another name (DNS rebinding) is
    // refused; so is anything but GET and HEAD.
    assert_eq!(
        preview
            .get_as("/state.json", &format!("evil.example:{}", preview.port))
            .0,
        403
    );
    let mut s = TcpStream::connect(("127.0.0.1", preview.port)).unwrap();
    write!(
        s,
        "POST /state.json HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        preview.port
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
    // A browser that leaves mid-stream ends nothing.
    for _ in 0..3 {
        let mut s = TcpStream::connect(("127.0.0.1", preview.port)).unwrap();
        write!(
            s,
            "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            preview.port
        )
        .unwrap();
        drop(s);
        let mut s = TcpStream::connect(("127.0.0.1", preview.port)).unwrap();
        s.write_all(b"GET /pages/1.svg HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            .unwrap();
        drop(s);
    }
    assert_eq!(preview.get("/state.json").0, 200);
}

#[cfg(unix)]
#[test]
fn ctrl_c_ends_it() {
    let p = scratch();
    let mut preview = Preview::start(p.path(), "sources/baths.md");
    preview.state_when("the first build", |s| !s["good"].is_null());
    let pid = preview.child.id().to_string();
    let sent = Command::new("kill")
        .args(["-s", "INT", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = preview.child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < PATIENCE, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "{}", preview.stderr());
    // (Its last words may still be on their way through the pipe.)
    while !preview.stderr().contains("preview: stopped") {
        assert!(started.elapsed() < PATIENCE, "{}", preview.stderr());
        std::thread::sleep(Duration::from_millis(50));
    }
    // (Whether its port is closed now is not asked: the process is gone,
    // and on a shared machine another may have taken the port meanwhile.)
}

/// Where the preview says each Markdown line was set, against where the
/// laid-out text really is: each word of the statement below is on one
/// line only, and the spot under each word's glyphs names that line.
#[test]
fn spots_put_each_line_where_its_words_were_set() {
    let dir = tempfile::tempdir().unwrap();
    let text = "---
title: Spot Check
fit: false
---

Alpha alpha alpha alpha alpha alpha alpha alpha alpha alpha alpha.

Bravo bravo bravo bravo bravo bravo bravo.
Charlie charlie charlie charlie charlie charlie charlie.
Delta delta *delta* delta **delta** delta delta delta delta.

> Echo echo echo echo echo echo echo echo echo echo echo echo echo.

- Foxtrot foxtrot foxtrot foxtrot.
";
    let lines = [
        ("alpha", 6),
        ("bravo", 8),
        ("charlie", 9),
        ("delta", 10),
        ("echo", 12),
        ("foxtrot", 14),
    ];
    std::fs::write(dir.path().join("spots.md"), text).unwrap();
    let ctx = common::ctx_in(dir.path());
    let loaded = pamphleteer::project::statement::load(&dir.path().join("spots.md"), &ctx).unwrap();
    let shown =
        pamphleteer::render::preview::preview(&loaded, &ctx, &|s| format!("/files/{s}")).unwrap();
    let fitted = pamphleteer::render::statement::fit(&loaded, &ctx)
        .ok()
        .unwrap();
    let mut checked = 0;
    for (page, shown) in fitted.compiled.document.pages().iter().zip(&shown.pages) {
        let mut words = Vec::new();
        glyph_words(
            &page.frame,
            typst::layout::Transform::identity(),
            &mut words,
        );
        for (word, x, y) in words {
            let Some(&(_, line)) = lines.iter().find(|(w, _)| *w == word) else {
                continue;
            };
            let spot = shown
                .spots
                .iter()
                .find(|s| s.x0 <= x && x <= s.x1 && s.y0 <= y && y <= s.y1)
                .unwrap_or_else(|| panic!("no spot under `{word}` at {x}, {y}"));
            assert_eq!(spot.line, line, "`{word}` at {x}, {y}");
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} words checked");
    // The title, which the layout sets from the front matter's value,
    // points at the front matter's line.
    assert!(shown.pages[0].spots.iter().any(|s| s.line == 2));
}

/// Each word of the page's text (lower case) and the middle of its first
/// glyph, in points from the page's top left corner.
fn glyph_words(
    frame: &typst::layout::Frame,
    ts: typst::layout::Transform,
    out: &mut Vec<(String, f64, f64)>,
) {
    use typst::layout::{FrameItem, Point, Transform};
    for (pos, item) in frame.items() {
        let at = ts.pre_concat(Transform::translate(pos.x, pos.y));
        match item {
            FrameItem::Group(g) => glyph_words(&g.frame, at.pre_concat(g.transform), out),
            FrameItem::Text(t) => {
                let mut x = typst::layout::Abs::zero();
                let mut word_start = true;
                for g in &t.glyphs {
                    let s = &t.text[g.range()];
                    let letter = s.chars().all(char::is_alphabetic) && !s.is_empty();
                    if letter && word_start {
                        let rest: String = t.text[g.range().start..]
                            .chars()
                            .take_while(|c| c.is_alphabetic())
                            .flat_map(char::to_lowercase)
                            .collect();
                        let mid = x + g.x_advance.at(t.size) * 0.5;
                        let p = Point::new(mid, -t.size * 0.3).transform(at);
                        out.push((rest, p.x.to_pt(), p.y.to_pt()));
                    }
                    word_start = !letter;
                    x += g.x_advance.at(t.size);
                }
            }
            _ => {}
        }
    }
}

/// Chromium, headless, spoken to through the DevTools protocol; closed
/// when dropped.
struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    ws: TcpStream,
    next_id: u64,
}

impl Browser {
    /// `None` when chromium is not installed.
    fn open(url: &str) -> Option<Browser> {
        let program = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())?;
        let profile = tempfile::tempdir().unwrap();
        let mut command = Command::new(program);
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1400,900",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = command.spawn().ok()?;
        // Chromium says where its DevTools listen in the profile.
        let started = Instant::now();
        let port: u16 = loop {
            if let Ok(text) = std::fs::read_to_string(profile.path().join("DevToolsActivePort"))
                && let Some(port) = text.lines().next().and_then(|l| l.parse().ok())
            {
                break port;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "chromium's DevTools never listened"
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        // The page's target.
        let ws_url = loop {
            let body = http_body(port, "/json/list");
            let list: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            let page = list.as_array().and_then(|l| {
                l.iter()
                    .find(|t| t["type"] == "page")
                    .and_then(|t| t["webSocketDebuggerUrl"].as_str())
                    .map(str::to_string)
            });
            if let Some(page) = page {
                break page;
            }
            assert!(started.elapsed() < PATIENCE, "chromium opened no page");
            std::thread::sleep(Duration::from_millis(100));
        };
        let path = ws_url
            .split_once(&format!("127.0.0.1:{port}"))
            .map(|(_, p)| p.to_string())
            .unwrap();
        let mut ws = TcpStream::connect(("127.0.0.1", port)).unwrap();
        ws.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            ws,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        .unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            ws.read_exact(&mut byte).unwrap();
            head.push(byte[0]);
        }
        assert!(
            head.starts_with(b"HTTP/1.1 101"),
            "{}",
            String::from_utf8_lossy(&head)
        );
        Some(Browser {
            child,
            _profile: profile,
            ws,
            next_id: 1,
        })
    }

    /// Evaluates JavaScript in the page (awaiting a promise) and returns
    /// its value.
    fn eval(&mut self, expression: &str) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let message = serde_json::json!({
            "id": id,
            "method": "Runtime.evaluate",
            "params": {"expression": expression, "returnByValue": true, "awaitPromise": true},
        });
        self.send(message.to_string().as_bytes()).unwrap();
        loop {
            let reply: Value = serde_json::from_slice(&self.receive()).unwrap();
            if reply["id"].as_u64() == Some(id) {
                if !reply["result"]["exceptionDetails"].is_null() {
                    panic!("{expression}: {}", reply["result"]["exceptionDetails"]);
                }
                return reply["result"]["result"]["value"].clone();
            }
        }
    }

    /// Evaluates until the value is true.
    fn wait_for(&mut self, what: &str, expression: &str) {
        let started = Instant::now();
        while self.eval(expression) != Value::Bool(true) {
            assert!(started.elapsed() < PATIENCE, "the page never showed {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A masked text frame, as a client sends.
    fn send(&mut self, payload: &[u8]) -> std::io::Result<()> {
        let mut frame = vec![0x81u8];
        match payload.len() {
            n if n < 126 => frame.push(0x80 | n as u8),
            n if n < 65536 => {
                frame.push(0x80 | 126);
                frame.extend_from_slice(&(n as u16).to_be_bytes());
            }
            n => {
                frame.push(0x80 | 127);
                frame.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        let mask = [0x12u8, 0x34, 0x56, 0x78];
        frame.extend_from_slice(&mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.ws.write_all(&frame)
    }

    /// The next whole message.
    fn receive(&mut self) -> Vec<u8> {
        let mut message = Vec::new();
        loop {
            let mut head = [0u8; 2];
            self.ws.read_exact(&mut head).unwrap();
            let len = match head[1] & 0x7f {
                126 => {
                    let mut b = [0u8; 2];
                    self.ws.read_exact(&mut b).unwrap();
                    u64::from(u16::from_be_bytes(b))
                }
                127 => {
                    let mut b = [0u8; 8];
                    self.ws.read_exact(&mut b).unwrap();
                    u64::from_be_bytes(b)
                }
                n => u64::from(n),
            };
            let mut payload = vec![0u8; len as usize];
            self.ws.read_exact(&mut payload).unwrap();
            message.extend_from_slice(&payload);
            if head[0] & 0x80 != 0 {
                return message;
            }
        }
    }
}

/// The body of a GET to a server that may keep the connection open
/// (Chromium's DevTools do): read as far as its Content-Length says.
fn http_body(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(s);
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = Vec::new();
    match length {
        Some(n) => {
            body.resize(n, 0);
            reader.read_exact(&mut body).unwrap();
        }
        None => {
            reader.read_to_end(&mut body).unwrap();
        }
    }
    String::from_utf8_lossy(&body).into_owned()
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Asked to close, the browser ends the processes it started; the
        // kill is for a browser that no longer listens. (By its own id
        // only: procps's `kill -KILL -PGID` reads a process group as -1,
        // every process there is.)
        let id = self.next_id;
        let _ = self.send(
            serde_json::json!({"id": id, "method": "Browser.close"})
                .to_string()
                .as_bytes(),
        );
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_browser_shows_the_statement_and_follows_a_save() {
    let p = scratch();
    let preview = Preview::start(p.path(), "sources/baths.md");
    let url = format!("http://127.0.0.1:{}/", preview.port);
    let Some(mut browser) = Browser::open(&url) else {
        eprintln!("chromium is not installed: the browser test is skipped (CI installs it)");
        return;
    };
    let ebook = "(document.querySelector('#ebook')?.contentDocument?.body?.innerText ?? '')";
    browser.wait_for("the e-book text", &format!("{ebook}.includes('PELICAN')"));
    browser.wait_for(
        "the pages",
        "(() => { const i = [...document.querySelectorAll('#pages img')]; return i.length > 0 && i.every(x => x.complete && x.naturalWidth > 0); })()",
    );
    // The e-book text has its stylesheet (justified text is its, not the
    // browser's).
    assert_eq!(
        browser.eval("getComputedStyle(document.querySelector('#ebook').contentDocument.querySelector('.text p')).textAlign"),
        Value::String("justify".into())
    );
    // Clicking a place of the page shows the Markdown line it was written
    // for (line 12 holds PELICAN).
    let clicked = browser.eval(
        "(() => { const p = shown.pages[0]; const s = p.spots.find(s => s[4] === 12); \
         const div = document.querySelector('#pages .page'); const r = div.getBoundingClientRect(); \
         const x = r.left + ((s[0] + s[2]) / 2) / p.width * r.width; \
         const y = r.top + ((s[1] + s[3]) / 2) / p.height * r.height; \
         div.dispatchEvent(new MouseEvent('click', {clientX: x, clientY: y, bubbles: true})); \
         const li = document.querySelector('#lines li.here'); return li ? li.textContent : null; })()",
    );
    assert!(
        clicked.as_str().is_some_and(|t| t.contains("PELICAN")),
        "{clicked}"
    );
    // Scrolled down in the e-book text, a save shows the new text in place.
    browser.eval("document.querySelector('#ebook').contentWindow.scrollTo(0, 120)");
    let scrolled = browser.eval("document.querySelector('#ebook').contentWindow.scrollY");
    save(
        &p.path().join("sources/baths.md"),
        &STATEMENT.replace("PELICAN", "CORMORANT"),
    );
    browser.wait_for(
        "the saved text",
        &format!("{ebook}.includes('CORMORANT') && !{ebook}.includes('PELICAN')"),
    );
    assert_eq!(
        browser.eval("document.querySelector('#ebook').contentWindow.scrollY"),
        scrolled
    );
    // A broken save: the banner, over the pages kept.
    save(
        &p.path().join("sources/baths.md"),
        &STATEMENT.replace("title: Open the Harbour Baths", "title: [Open the"),
    );
    browser.wait_for(
        "the error banner",
        "!document.querySelector('#banner').hidden && document.querySelector('#banner pre').textContent.includes('baths.md:3:')",
    );
    assert_eq!(
        browser.eval(&format!(
            "document.querySelectorAll('#pages img').length > 0 && {ebook}.includes('CORMORANT')"
        )),
        Value::Bool(true)
    );
    save(&p.path().join("sources/baths.md"), STATEMENT);
    browser.wait_for(
        "the banner gone",
        &format!("document.querySelector('#banner').hidden && {ebook}.includes('PELICAN')"),
    );
}
