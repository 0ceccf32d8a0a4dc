//! The `wire-inspect` binary: see the library crate docs for usage.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let status = wire_inspect::cli::run(&args, &mut out, &mut err);
    let _ = out.flush();
    let _ = err.flush();
    ExitCode::from(u8::try_from(status).unwrap_or(2))
}
