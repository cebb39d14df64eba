//! The preview's web server: the page, what the last good build made of
//! the statement (its pages as SVG, its e-book text and stylesheet, its
//! Markdown), the images that text shows, and a stream of server-sent
//! events that says when a build is done.
//!
//! It serves nothing else. The project's files are served only when the
//! e-book text of the last good build shows them, by the root-relative
//! path the statement was read with, and only while the file is still
//! inside the project root (a symbolic link swapped to lead out of it is
//! refused); any other path, `..` or not, encoded or not, is a 404. On a
//! loopback address, a request must name the server by a loopback name,
//! so that a web page whose host name an attacker points at 127.0.0.1
//! cannot read the statement.

use std::collections::hash_map::DefaultHasher;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server};

use crate::render::preview::Preview;

/// The page, written for the preview (no external assets).
const PAGE: &str = include_str!("preview.html");

/// How often an idle event stream says it is alive (and finds out whether
/// its browser still is).
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// At most this many browsers follow the builds at once (a thread each).
const MAX_STREAMS: usize = 64;

/// What a good build made, as served.
pub(crate) struct Good {
    pub preview: Preview,
    /// The statement's text as the build read it.
    pub markdown: String,
    /// The files of the project the e-book text shows, root-relative.
    pub images: Vec<String>,
    /// How long the build took, from the change seen to the pages made.
    pub took: Duration,
}

/// What the page shows now.
struct Shown {
    /// Counts the builds tried.
    version: u64,
    /// The last good build and its number.
    good: Option<(u64, Arc<Good>)>,
    /// Why the last build failed, if it did.
    error: Option<String>,
    /// `/state.json`, made once a build.
    json: Arc<str>,
}

/// What the server and the build loop share: what is shown, and the
/// browsers that follow it.
pub(crate) struct Board {
    /// This preview among others on the same port, one after another: a
    /// page left open starts afresh when the preview it follows is
    /// started again.
    run: u64,
    /// The project root, canonical, for the images.
    root: PathBuf,
    /// The statement's name, for the page's title.
    source: String,
    shown: Mutex<Shown>,
    streams: Mutex<Vec<Sender<Arc<str>>>>,
}

impl Board {
    pub(crate) fn new(root: &Path, source: String) -> Arc<Board> {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut shown = Shown {
            version: 0,
            good: None,
            error: None,
            json: Arc::from(""),
        };
        // (The clock's nanoseconds and the process: only different
        // previews need differ.)
        let run = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::from(d.subsec_nanos()) ^ (d.as_secs() << 30))
            ^ u64::from(std::process::id());
        // (Within JavaScript's exact integers.)
        let run = run & ((1 << 53) - 1);
        shown.json = state_json(&shown, &source, run).into();
        Arc::new(Board {
            run,
            root,
            source,
            shown: Mutex::new(shown),
            streams: Mutex::new(Vec::new()),
        })
    }

    /// Shows a good build (and no error).
    pub(crate) fn good(&self, good: Good) {
        self.publish(|shown| {
            shown.good = Some((shown.version, Arc::new(good)));
            shown.error = None;
        });
    }

    /// Shows why a build failed, over the last good one.
    pub(crate) fn failed(&self, error: String) {
        self.publish(|shown| shown.error = Some(error));
    }

    fn publish(&self, change: impl FnOnce(&mut Shown)) {
        let event = {
            let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
            shown.version += 1;
            change(&mut shown);
            shown.json = state_json(&shown, &self.source, self.run).into();
            event(&shown, self.run)
        };
        let mut streams = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        // (A stream whose browser left has ended, and so has its receiver.)
        streams.retain(|s| s.send(event.clone()).is_ok());
    }

    fn good_build(&self) -> Option<Arc<Good>> {
        let shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        shown.good.as_ref().map(|(_, g)| g.clone())
    }
}

/// The server, bound.
pub(crate) struct Bound {
    server: Arc<Server>,
    /// The address it listens on.
    pub addr: SocketAddr,
}

/// Binds the server to `addr` (port 0: any free port).
pub(crate) fn bind(addr: SocketAddr) -> Result<Bound, String> {
    let server = Server::http(addr).map_err(|e| e.to_string())?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| "the server has no IP address".to_string())?;
    Ok(Bound {
        server: Arc::new(server),
        addr,
    })
}

/// Serves `board` on two threads (requests are answered from memory, or
/// from a small image file; event streams get a thread each).
pub(crate) fn serve(bound: &Bound, board: Arc<Board>) {
    let hosts = allowed_hosts(bound.addr);
    for _ in 0..2 {
        let server = bound.server.clone();
        let board = board.clone();
        let hosts = hosts.clone();
        std::thread::spawn(move || {
            // (recv fails only when the server is gone.)
            while let Ok(request) = server.recv() {
                handle(&board, hosts.as_deref(), request);
            }
        });
    }
}

/// The names a request may give the server by: on a loopback address the
/// loopback names only; on another interface (`--host`), any.
fn allowed_hosts(addr: SocketAddr) -> Option<Vec<String>> {
    if !addr.ip().is_loopback() {
        return None;
    }
    let port = addr.port();
    Some(vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ])
}

/// Answers one request. A browser that went away is no error: its
/// answer is dropped.
fn handle(board: &Arc<Board>, hosts: Option<&[String]>, request: Request) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(text(405, "only GET and HEAD are served\n"));
        return;
    }
    if let Some(hosts) = hosts {
        let host = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Host"))
            .map(|h| h.value.as_str().to_ascii_lowercase());
        if !host.is_some_and(|h| hosts.contains(&h)) {
            let _ = request.respond(text(403, "this server answers to 127.0.0.1 only\n"));
            return;
        }
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or_default();
    if path == "/events" {
        stream(board, request);
        return;
    }
    let response = answer(board, path);
    let _ = request.respond(response);
}

type Answer = Response<std::io::Cursor<Vec<u8>>>;

/// The answer to a GET of `path` (without its query).
fn answer(board: &Board, path: &str) -> Answer {
    // What the page fetches with a `?v=` query changes with each build and
    // is fetched again when it does; nothing is kept by the browser.
    match path {
        "/" | "/index.html" => return page(),
        "/state.json" => {
            let json = board
                .shown
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .json
                .clone();
            return bytes(json.as_bytes().to_vec(), "application/json");
        }
        _ => {}
    }
    let Some(good) = board.good_build() else {
        return not_found();
    };
    match path {
        "/source.md" => bytes(
            good.markdown.clone().into_bytes(),
            "text/plain; charset=utf-8",
        ),
        "/ebook/text.xhtml" => with_csp(
            bytes(
                good.preview.xhtml.clone().into_bytes(),
                "application/xhtml+xml; charset=utf-8",
            ),
            "default-src 'self'; script-src 'none'",
        ),
        "/ebook/style.css" => bytes(
            good.preview.css.clone().into_bytes(),
            "text/css; charset=utf-8",
        ),
        _ => {
            if let Some(n) = path
                .strip_prefix("/pages/")
                .and_then(|p| p.strip_suffix(".svg"))
                .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|n| n.parse::<usize>().ok())
                && let Some(page) = n.checked_sub(1).and_then(|i| good.preview.pages.get(i))
            {
                return with_csp(
                    bytes(page.svg.clone().into_bytes(), "image/svg+xml"),
                    "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
                );
            }
            if let Some(font) = path.strip_prefix("/ebook/")
                && let Some((_, data)) = good.preview.fonts.iter().find(|(href, _)| href == font)
            {
                let kind = if font.ends_with(".otf") {
                    "font/otf"
                } else {
                    "font/ttf"
                };
                return bytes(data.clone(), kind);
            }
            if let Some(rel) = path.strip_prefix("/files/") {
                return project_file(&board.root, &good, rel);
            }
            not_found()
        }
    }
}

/// An image the e-book text shows, read from the project.
fn project_file(root: &Path, good: &Good, encoded: &str) -> Answer {
    let Some(rel) = percent_decode(encoded) else {
        return not_found();
    };
    // Only what the text shows, by the name it was read with: no `..`, no
    // absolute path, nothing the build did not resolve inside the root.
    if !good.images.contains(&rel) || rel.starts_with('/') {
        return not_found();
    }
    let Ok(real) = root.join(&rel).canonicalize() else {
        return not_found();
    };
    // (A symbolic link changed since the build may lead out of the root.)
    if !real.starts_with(root) || !real.is_file() {
        return not_found();
    }
    match std::fs::read(&real) {
        Ok(data) => with_csp(bytes(data, image_type(&rel)), "sandbox"),
        Err(_) => not_found(),
    }
}

/// The media type of an image by its name.
fn image_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "bmp" => "image/bmp",
        "tif" | "tiff" => "image/tiff",
        _ => "application/octet-stream",
    }
}

/// `%xx` escapes decoded; `None` for a bad escape or text that is not
/// UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A root-relative path as an address under `/files/`: each segment
/// percent-encoded but for what needs no escape.
pub(crate) fn file_href(rel: &str) -> String {
    let mut out = String::from("/files");
    for segment in rel.split('/') {
        out.push('/');
        for b in segment.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                out.push(char::from(b));
            } else {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// An event stream: the state's version now, then a line at every build,
/// until the browser goes away.
fn stream(board: &Arc<Board>, request: Request) {
    let (tx, rx) = channel();
    let now = {
        let shown = board.shown.lock().unwrap_or_else(|e| e.into_inner());
        event(&shown, board.run)
    };
    {
        let mut streams = board.streams.lock().unwrap_or_else(|e| e.into_inner());
        if streams.len() >= MAX_STREAMS {
            drop(streams);
            let _ = request.respond(text(503, "too many browsers follow this preview\n"));
            return;
        }
        streams.push(tx);
    }
    std::thread::spawn(move || {
        let mut out = request.into_writer();
        let _ = follow(&mut out, &now, &rx);
    });
}

/// Writes the event stream; returns when the browser has gone.
fn follow(out: &mut dyn std::io::Write, now: &str, rx: &Receiver<Arc<str>>) -> std::io::Result<()> {
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\n\r\n",
    )?;
    // (Without a retry line a browser tries again after about 3 s.)
    out.write_all(b"retry: 1000\n\n")?;
    out.write_all(now.as_bytes())?;
    out.flush()?;
    loop {
        match rx.recv_timeout(KEEP_ALIVE) {
            Ok(event) => out.write_all(event.as_bytes())?,
            Err(RecvTimeoutError::Timeout) => out.write_all(b": alive\n\n")?,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        out.flush()?;
    }
}

/// The event that says what is shown: `event: build` with the preview's
/// run, the version, whether the last build failed, and the good build's
/// version.
fn event(shown: &Shown, run: u64) -> Arc<str> {
    format!(
        "event: build\ndata: {{\"run\":{run},\"version\":{},\"ok\":{},\"good\":{}}}\n\n",
        shown.version,
        shown.error.is_none(),
        shown.good.as_ref().map_or(0, |(v, _)| *v)
    )
    .into()
}

/// `/state.json`: what the page shows, with the addresses of what to fetch
/// (each with a hash of its content, so that the page fetches only what
/// changed).
fn state_json(shown: &Shown, source: &str, run: u64) -> String {
    let mut j = format!(
        "{{\"run\":{run},\"version\":{},\"source\":{},\"error\":",
        shown.version,
        json_str(source)
    );
    match &shown.error {
        Some(e) => j.push_str(&json_str(e)),
        None => j.push_str("null"),
    }
    j.push_str(",\"good\":");
    let Some((version, good)) = &shown.good else {
        j.push_str("null}");
        return j;
    };
    let p = &good.preview;
    let _ = write!(
        j,
        "{{\"version\":{version},\"ms\":{},\"report\":{},\"markdown\":{},\"xhtml\":{},\"css\":{},\"pages\":[",
        good.took.as_millis(),
        json_str(&p.report),
        json_str(&format!("/source.md?v={}", hash(&good.markdown))),
        json_str(&format!("/ebook/text.xhtml?v={}", hash(&p.xhtml))),
        json_str(&format!("/ebook/style.css?v={}", hash(&p.css))),
    );
    for (i, page) in p.pages.iter().enumerate() {
        if i > 0 {
            j.push(',');
        }
        let _ = write!(
            j,
            "{{\"svg\":{},\"width\":{:.2},\"height\":{:.2},\"spots\":[",
            json_str(&format!("/pages/{}.svg?v={}", i + 1, hash(&page.svg))),
            page.width,
            page.height
        );
        for (k, s) in page.spots.iter().enumerate() {
            if k > 0 {
                j.push(',');
            }
            let _ = write!(
                j,
                "[{:.1},{:.1},{:.1},{:.1},{}]",
                s.x0, s.y0, s.x1, s.y1, s.line
            );
        }
        j.push_str("]}");
    }
    j.push_str("]}}");
    j
}

fn hash(text: &str) -> String {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// A JSON string literal.
fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // (`<` escaped too: the text is safe to put in a script.)
            c if (c as u32) < 0x20 || c == '<' || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `answer` with a header (all of them fixed text of this file, which
/// `Header` takes).
fn with(answer: Answer, name: &str, value: &str) -> Answer {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(h) => answer.with_header(h),
        Err(()) => answer,
    }
}

fn bytes(data: Vec<u8>, kind: &str) -> Answer {
    let answer = with(Response::from_data(data), "Content-Type", kind);
    let answer = with(answer, "Cache-Control", "no-store");
    with(answer, "X-Content-Type-Options", "nosniff")
}

fn with_csp(answer: Answer, policy: &str) -> Answer {
    with(answer, "Content-Security-Policy", policy)
}

fn text(status: u16, message: &str) -> Answer {
    bytes(message.as_bytes().to_vec(), "text/plain; charset=utf-8").with_status_code(status)
}

fn not_found() -> Answer {
    text(404, "not found\n")
}

fn page() -> Answer {
    with_csp(
        bytes(PAGE.as_bytes().to_vec(), "text/html; charset=utf-8"),
        "default-src 'self'; script-src 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_of_files_decode_to_their_names() {
        for name in ["img/a b.png", "img/ü.jpg", "a/b%c.png", "x.png"] {
            let href = file_href(name);
            let back = percent_decode(href.strip_prefix("/files/").unwrap());
            assert_eq!(back.as_deref(), Some(name), "{href}");
        }
        assert_eq!(file_href("img/a b.png"), "/files/img/a%20b.png");
        assert_eq!(
            percent_decode("%2e%2e/%2E%2E/etc"),
            Some("../../etc".into())
        );
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%ff"), None);
    }

    #[test]
    fn json_strings_escape_what_they_must() {
        assert_eq!(
            json_str("a\"b\\c\n</script>"),
            r#""a\"b\\c\n\u003c/script>""#
        );
    }
}
