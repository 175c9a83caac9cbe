//! `popsell`: the Popsell API from a terminal. The command and its
//! parameters are generated from `openapi.yaml` (`generated.rs`,
//! progenitor's CLI generator: one flag per parameter, the spec's
//! description, bounds and default in `--help`); this layer adds what the
//! generator cannot know: credentials set once (flags or environment),
//! short flag names, every page (`--all`, with a progress bar), output for
//! terminals and pipes, errors in words with distinct exit codes, shell
//! completions.

#[allow(clippy::all, dead_code, unused_imports, unused_variables)]
mod generated;
mod command;
mod errors;
mod output;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let matches = command::command().get_matches();
    match command::run(&matches).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.code == errors::Code::ReaderGone => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}", error.message);
            ExitCode::from(error.code as u8)
        }
    }
}
