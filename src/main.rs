use std::process::ExitCode;

fn main() -> ExitCode {
    pamphleteer::cli::main()
}
