use std::process::ExitCode;

fn main() -> ExitCode {
    pamphleteer::cmd::main()
}
