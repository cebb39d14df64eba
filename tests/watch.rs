//! `pamphleteer watch` through the real binary: it builds, then builds
//! again on a save; a bad save says why and keeps the last good outputs;
//! the next good save builds again; an editor that saves by writing a new
//! file and renaming it over the old one is seen too.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use common::project;

/// The watcher, killed when the test ends however it ends.
struct Watching {
    child: Child,
    lines: Receiver<String>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watching {
    fn start(dir: &Path) -> Watching {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pamphleteer"))
            .arg("watch")
            .current_dir(dir)
            .env_remove("SOURCE_DATE_EPOCH")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("the binary runs");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watching { child, lines }
    }

    /// What it says until it is watching again (at most a minute).
    fn round(&self) -> String {
        let mut said = String::new();
        let end = Instant::now() + Duration::from_secs(60);
        while Instant::now() < end {
            match self.lines.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    let done = line.starts_with("watching ");
                    said.push_str(&line);
                    said.push('\n');
                    if done {
                        return said;
                    }
                }
                Err(_) => continue,
            }
        }
        panic!("no round ended within a minute:\n{said}");
    }
}

#[test]
fn watch_builds_on_every_save_and_keeps_the_last_good_outputs() {
    let p = project("good");
    let root = p.path();
    let w = Watching::start(root);
    let first = w.round();
    assert!(first.contains("built 2 of 2 statements"), "{first}");
    let pdf = root.join("out/night-shifts.pdf");
    let typ = root.join("out/night-shifts.typ");
    let good = std::fs::read(&pdf).unwrap();
    let source = root.join("sources/night-shifts.md");
    let text = std::fs::read_to_string(&source).unwrap();

    // A save: that statement is built again, the other is not.
    std::fs::write(
        &source,
        format!("{text}\nThe night shift voted on Tuesday.\n"),
    )
    .unwrap();
    let said = w.round();
    assert!(said.contains("sources/night-shifts.md changed"), "{said}");
    assert!(said.contains("built 1 of 2 statements"), "{said}");
    assert!(
        std::fs::read_to_string(&typ)
            .unwrap()
            .contains("voted on Tuesday"),
        "{said}"
    );
    let better = std::fs::read(&pdf).unwrap();
    assert_ne!(better, good);

    // A bad save: the error, at its line; the last good PDF stays.
    std::fs::write(&source, text.replacen("---\n", "---\nbogus-key: 1\n", 1)).unwrap();
    let said = w.round();
    assert!(said.contains("unknown key `bogus-key`"), "{said}");
    assert!(said.contains("sources/night-shifts.md:2"), "{said}");
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        better,
        "the last good PDF was lost"
    );

    // A good save again, the way many editors save: a new file renamed
    // over the old one.
    let tmp = root.join("sources/.night-shifts.md.tmp");
    std::fs::write(&tmp, format!("{text}\nThe day shift voted on Wednesday.\n")).unwrap();
    std::fs::rename(&tmp, &source).unwrap();
    let said = w.round();
    assert!(said.contains("built 1 of 2 statements"), "{said}");
    assert!(
        std::fs::read_to_string(&typ)
            .unwrap()
            .contains("voted on Wednesday"),
        "{said}"
    );

    // The project file broken and mended: said, then built again.
    let toml = root.join("pamphleteer.toml");
    let settings = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{settings}\n[layout\n")).unwrap();
    let said = w.round();
    assert!(said.contains("pamphleteer.toml"), "{said}");
    assert!(said.contains("error"), "{said}");
    // Saved again as it was (as an editor's one save may come as two
    // batches): the same error is not shown twice.
    std::fs::write(&toml, format!("{settings}\n[layout\n")).unwrap();
    let said = w.round();
    assert!(said.contains("(the same error as above)"), "{said}");
    assert!(!said.contains("┌─"), "{said}");
    std::fs::write(&toml, settings.replace("#1f4e79", "#7a1f1f")).unwrap();
    let said = w.round();
    assert!(said.contains("built 2 of 2 statements"), "{said}");

    // Ctrl-C between rounds: it stops, and says so.
    let mut w = w;
    let pid = w.child.id().to_string();
    // (The process's own pid, positive: never a group.)
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let end = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = w.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < end, "watch did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    let mut said = String::new();
    while let Ok(line) = w.lines.recv_timeout(Duration::from_millis(500)) {
        said.push_str(&line);
    }
    assert!(said.contains("watch: stopped"), "{said}");
}
