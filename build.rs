//! The program's identity, fixed when it is built: a hash of everything
//! that goes into the binary (the code, the layouts, the shipped fonts, the
//! locked dependencies, the profile and the compiler). The incremental
//! build keys every product with it, so a rebuilt pamphleteer whose code
//! changed builds everything again, and one built again from the same code
//! does not.

use std::path::Path;

fn main() {
    let mut h = Fnv::default();
    for dir in ["src", "layouts", "fonts"] {
        println!("cargo:rerun-if-changed={dir}");
        let mut files = Vec::new();
        walk(Path::new(dir), &mut files);
        files.sort();
        for file in files {
            h.write(file.to_string_lossy().as_bytes());
            h.write(&std::fs::read(&file).unwrap_or_default());
        }
    }
    for file in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        println!("cargo:rerun-if-changed={file}");
        h.write(file.as_bytes());
        h.write(&std::fs::read(file).unwrap_or_default());
    }
    for var in ["PROFILE", "TARGET", "OPT_LEVEL", "DEBUG"] {
        h.write(std::env::var(var).unwrap_or_default().as_bytes());
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    h.write(&version);
    println!("cargo:rustc-env=PAMPHLETEER_BUILD_ID={:032x}", h.0);
}

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// FNV-1a, 128 bits: enough to tell builds apart, with no dependency for
/// the build script.
struct Fnv(u128);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0x6c62_272e_07bb_0142_62b8_2175_6295_c58d)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            self.0 =
                (self.0 ^ u128::from(byte)).wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
        }
    }
}
