//! `pamphleteer preview SOURCE`: the statement's leaflet pages and e-book
//! text in the browser, rebuilt on every save.
//!
//! One process holds the project's context (its fonts and Typst's
//! library, loaded once) and rebuilds the one statement in it whenever the
//! watcher sees the statement, its images, the project file, a layout or a
//! font change; Typst's caches stay warm between builds, and what the last
//! few builds did not use is evicted. What each build made is handed to
//! the server (`serve`), which tells the browsers to fetch what changed.
//! A build that fails shows its error over the last good pages.
//!
//! Ctrl-C (or the terminal closing, or SIGTERM) stops it between builds
//! or in one: it writes no file, so nothing is left half-done; the browser
//! it opened runs in a process group of its own, out of the interrupt's
//! way.

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use crate::cmd::args::PreviewArgs;
use crate::cmd::plan::{Stop, check_common, context, open_project, statement_file};
use crate::cmd::serve::{self, Board, Good};
use crate::cmd::watcher::Watcher;
use crate::project::Project;
use crate::project::context::{Context, context_for, context_with};
use crate::project::statement::{load, source_name};
use crate::render::compile::Error;

/// The port served on unless `--port` says otherwise (any free one when
/// it is taken), so that a page left open finds a preview started again.
pub(crate) const DEFAULT_PORT: u16 = 3370;

/// How many builds an entry of Typst's caches outlives unused: fitting's
/// trial compiles of one save are met again at the next.
const EVICT_AFTER: usize = 10;

pub(crate) fn run(args: &PreviewArgs) -> ExitCode {
    let live = match Live::start(args) {
        Ok(live) => live,
        Err(stop) => return stop.exit(),
    };
    // The builds run on a thread of their own; this one waits for Ctrl-C
    // (or the end of the watch), and returning ends the process.
    let (tx, ended) = std::sync::mpsc::channel();
    let interrupted = tx.clone();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = interrupted.send(true);
    }) {
        eprintln!("note: Ctrl-C is left to the terminal ({e})");
    }
    std::thread::spawn(move || {
        live.run();
        let _ = tx.send(false);
    });
    match ended.recv() {
        Ok(true) => {
            eprintln!("\npreview: stopped");
            ExitCode::SUCCESS
        }
        // (The watcher stopped: the folder went away.)
        _ => {
            eprintln!("error: the project folder can no longer be watched; the preview stopped");
            ExitCode::from(1)
        }
    }
}

/// A preview running: what it builds, in which context, and where it
/// shows it.
struct Live {
    /// The statement as named on the command line (messages use it).
    source: PathBuf,
    /// The statement as the watcher names it (absolute, canonical folder).
    watched_source: PathBuf,
    project: Project,
    /// The project root as the watcher names it.
    root: PathBuf,
    ctx: Context,
    system_fonts: bool,
    /// The images the last statement read uses, as the watcher names them.
    inputs: Vec<PathBuf>,
    /// Whether the last build failed (then any change may mend it).
    failed: bool,
    /// Whether the project file, read again, was wrong: nothing is built
    /// until it is mended (its error stays shown).
    broken_project: bool,
    /// The notes and warnings last printed (printed again only when they
    /// change).
    report: String,
    board: Arc<Board>,
    watcher: Watcher,
}

impl Live {
    /// Checks the command line, reads the project, starts the server and
    /// the watcher, and prints the address.
    fn start(args: &PreviewArgs) -> Result<Live, Stop> {
        statement_file(&args.source)?;
        check_common(None)?;
        let project = open_project(args.project.project.as_deref())?;
        let ctx = context(&project, &args.project, None)?;
        let in_project = project.file.is_some() || args.project.project.is_some();
        let folder = match args.source.parent() {
            Some(p) if !p.as_os_str().is_empty() => absolute(p),
            _ => absolute(Path::new(".")),
        };
        let watched_source = folder.join(args.source.file_name().unwrap_or_default());
        let root = absolute(&project.root);
        // A loose statement's folder is watched, not the whole folder the
        // command runs in (a home folder, say).
        let watch_root = if in_project { root.clone() } else { folder };
        if !watched_source.starts_with(&watch_root) {
            return Err(Stop::usage(
                format!(
                    "{} is outside the project folder {}",
                    args.source.display(),
                    watch_root.display()
                ),
                "preview a statement of the project, or name its own project with --project",
            ));
        }
        let addr = address(args)?;
        let bound = match serve::bind(addr) {
            Ok(bound) => bound,
            Err(_) if args.port.is_none() => {
                serve::bind(SocketAddr::new(addr.ip(), 0)).map_err(|e| cannot_serve(addr, &e))?
            }
            Err(e) => return Err(cannot_serve(addr, &e)),
        };
        let url = url_of(bound.addr);
        // The address first and alone on its line, for whoever started us.
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{url}").and_then(|()| stdout.flush());
        drop(stdout);
        if args.port.is_none() && bound.addr.port() != DEFAULT_PORT {
            eprintln!(
                "note: port {DEFAULT_PORT} is taken; serving on {}",
                bound.addr.port()
            );
        }
        if !bound.addr.ip().is_loopback() {
            eprintln!(
                "warning: serving on {}: anyone who can reach this machine on port {} can read the statement and its images",
                bound.addr.ip(),
                bound.addr.port()
            );
        }
        let watcher =
            Watcher::new(&watch_root, vec![absolute(&project.out_dir())]).map_err(|e| {
                Stop::usage(
                    format!("cannot watch {} for changes: {e}", watch_root.display()),
                    "on Linux, raise fs.inotify.max_user_watches, or preview from a smaller folder",
                )
            })?;
        let board = Board::new(&root, source_name(&args.source, &project.root));
        serve::serve(&bound, board.clone());
        eprintln!(
            "preview: {} at {url} (Ctrl-C stops it)",
            args.source.display()
        );
        if !args.no_open {
            open_browser(&url);
        }
        Ok(Live {
            source: args.source.clone(),
            watched_source,
            project,
            root,
            ctx,
            system_fonts: args.project.system_fonts,
            inputs: Vec::new(),
            failed: false,
            broken_project: false,
            report: String::new(),
            board,
            watcher,
        })
    }

    /// Builds, then builds again at every change that matters, until the
    /// watcher stops.
    fn run(mut self) {
        self.build(Instant::now());
        while let Some(batch) = self.watcher.next_batch() {
            let seen = Instant::now();
            // (The root itself: the watcher lost events; anything may
            // have changed.)
            let everything = batch.iter().any(|p| p == self.watcher.root());
            let under = |dir: &str| {
                let dir = self.root.join(dir);
                batch.iter().any(|p| p.starts_with(&dir))
            };
            let fonts = everything || under("fonts");
            let project_file = self.root.join(crate::project::FILE);
            let project = fonts || batch.contains(&project_file);
            let statement = everything
                || self.failed
                || under("layouts")
                || batch
                    .iter()
                    .any(|p| *p == self.watched_source || self.inputs.contains(p));
            if project {
                match self.reread(fonts) {
                    Ok(()) => {
                        self.broken_project = false;
                        self.build(seen);
                    }
                    Err(error) => {
                        self.broken_project = true;
                        self.fail(error);
                    }
                }
            } else if statement && !self.broken_project {
                self.build(seen);
            }
        }
    }

    /// Reads the project file again, keeping the fonts unless they changed.
    fn reread(&mut self, fonts: bool) -> Result<(), String> {
        let project = Project::open(&self.project.root).map_err(|e| e.rendered())?;
        let ctx = if fonts {
            context_for(&project, self.system_fonts)
        } else {
            context_with(&project, self.ctx.shared.clone())
        };
        let errors = project.validate(&ctx.shared.families());
        if !errors.is_empty() {
            let text: Vec<String> = errors
                .iter()
                .map(|e| e.rendered().trim_end().to_string())
                .collect();
            return Err(text.join("\n\n"));
        }
        self.project = project;
        self.ctx = ctx;
        Ok(())
    }

    /// Builds the statement and shows the result; `seen` is when the change
    /// was seen.
    fn build(&mut self, seen: Instant) {
        let made = self.make(seen);
        // Typst's caches keep what the last few builds used, no more.
        typst::comemo::evict(EVICT_AFTER);
        match made {
            Ok(good) => {
                let pages = good.preview.pages.len();
                let ms = good.took.as_millis();
                if good.preview.report != self.report {
                    eprint!("{}", good.preview.report);
                    self.report = good.preview.report.clone();
                }
                self.board.good(good);
                self.failed = false;
                eprintln!(
                    "built {} in {ms} ms: {pages} page{}",
                    self.source.display(),
                    if pages == 1 { "" } else { "s" }
                );
            }
            Err(error) => self.fail(error),
        }
    }

    fn fail(&mut self, error: String) {
        eprintln!("{error}\n(the preview keeps the last good pages)\n");
        self.board.failed(error);
        self.failed = true;
        self.report.clear();
    }

    /// What the preview shows of the statement, or the error `build`
    /// would print.
    fn make(&mut self, seen: Instant) -> Result<Good, String> {
        let mut loaded = load(&self.source, &self.ctx).map_err(|e| Error::Source(e).to_string())?;
        // What it shows of the project's other statements (its editions,
        // its links), as `build` tells it.
        let errors = crate::project::connect_among(
            &self.project,
            &self.ctx,
            std::slice::from_mut(&mut loaded),
        );
        if !errors.is_empty() {
            return Err(Error::Source(errors).to_string());
        }
        self.inputs = loaded
            .images
            .iter()
            .map(|(src, _)| src.as_str())
            .chain(loaded.doc.meta.cover.as_deref())
            .map(|src| self.root.join(src))
            .collect();
        // (The text as read again: what the source pane shows, and what
        // its line numbers count.)
        let markdown = std::fs::read_to_string(&self.source).unwrap_or_default();
        let preview = crate::render::preview::preview(&loaded, &self.ctx, &serve::file_href)
            .map_err(|e| e.to_string())?;
        Ok(Good {
            preview,
            markdown,
            images: loaded.images.iter().map(|(src, _)| src.clone()).collect(),
            took: seen.elapsed(),
        })
    }
}

/// Where to serve: `--host` (127.0.0.1 without it), `--port`.
fn address(args: &PreviewArgs) -> Result<SocketAddr, Stop> {
    let port = args.port.unwrap_or(DEFAULT_PORT);
    let Some(host) = &args.host else {
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    (host.as_str(), port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut all| all.next())
        .ok_or_else(|| {
            Stop::usage(
                format!("`{host}` is not an address of this machine"),
                "give an IP address (127.0.0.1, 0.0.0.0 for every interface, ::1) or a host name that resolves",
            )
        })
}

fn cannot_serve(addr: SocketAddr, error: &str) -> Stop {
    Stop::usage(
        format!("cannot serve on {addr}: {error}"),
        "give another --port, or --port 0 for any free one",
    )
}

/// The address to open: an unspecified address (0.0.0.0, ::) is opened
/// as the loopback one.
fn url_of(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    match ip {
        IpAddr::V4(ip) => format!("http://{ip}:{}/", addr.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", addr.port()),
    }
}

/// Opens `url` in the browser; failing to is a note, not an error.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let mut command = std::process::Command::new(program);
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // A browser started here must not end with the preview's Ctrl-C.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    match command.spawn() {
        Ok(mut child) => {
            let url = url.to_string();
            std::thread::spawn(move || {
                if !child.wait().is_ok_and(|s| s.success()) {
                    eprintln!("note: {program} could not open a browser; open {url} yourself");
                }
            });
        }
        Err(e) => eprintln!("note: cannot open a browser ({program}: {e}); open {url} yourself"),
    }
}

/// A path as the watcher names it: canonical where it exists, else
/// absolute (an output folder not yet made).
fn absolute(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    })
}
