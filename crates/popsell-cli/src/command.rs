//! The command line: the generated `chatrooms` command (its flags renamed
//! to short names), global credentials, `--all`, `--limit`, `--output`,
//! and `completions`.

use std::io::IsTerminal;

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use futures_util::TryStreamExt;
use popsell_client::{Client, ResponseValue};

use crate::errors::{Code, EXIT_CODES, Failure, describe};
use crate::generated::{Cli, CliCommand, CliConfig};
use crate::output::{Format, Output};

/// The generated flags (`--filter-archived`) and their short names.
const RENAMES: [(&str, &str); 5] = [
    ("filter-archived", "archived"),
    ("filter-commented", "commented"),
    ("filter-flag", "flag"),
    ("filter-last-action-date-before", "before"),
    ("filter-type-chatroom", "type"),
];

pub fn command() -> Command {
    let mut chatrooms = Cli::<Printing>::get_command(CliCommand::GetAmbassadorChatrooms).name("chatrooms");
    for (id, long) in RENAMES {
        chatrooms = chatrooms.mut_arg(id, |arg| arg.long(long).value_name(long));
    }
    let chatrooms = chatrooms
        .mut_arg("filter-last-action-date-before", |arg| arg.value_name("RFC 3339"))
        .mut_arg("filter-archived", |arg| arg.value_name("true|false"))
        .arg(Arg::new("all").long("all").help_heading("Pages and output").action(ArgAction::SetTrue).help("Every page, from page 1 to the last (a progress bar on stderr)."))
        .arg(Arg::new("limit").long("limit").help_heading("Pages and output").value_parser(value_parser!(usize)).value_name("N").help("With --all, stop after N chatrooms."))
        .arg(
            Arg::new("output")
                .long("output")
                .short('o')
                .help_heading("Pages and output")
                .value_parser(value_parser!(Format))
                .help("json: one page object (with --all, an array of chatrooms); ndjson: one chatroom per line; table: a readable table. Default: table on a terminal, json otherwise."),
        );
    Command::new("popsell")
        .about("The Popsell API from a terminal: the chatrooms of an ambassador and of his guest accounts.")
        .after_help(EXIT_CODES)
        .subcommand_required(true)
        .arg(
            Arg::new("base-url")
                .long("base-url")
                .help_heading("Connection")
                .env("POPSELL_BASE_URL")
                .global(true)
                .value_name("URL")
                .help("The API's base URL, e.g. https://domain.tld/api/v2."),
        )
        .arg(
            Arg::new("token")
                .long("token")
                .help_heading("Connection")
                .env("POPSELL_TOKEN")
                .hide_env_values(true)
                .global(true)
                .value_name("TOKEN")
                .help("The bearer token (never printed)."),
        )
        .arg(
            Arg::new("brand")
                .long("brand")
                .help_heading("Connection")
                .env("POPSELL_BRAND")
                .global(true)
                .value_parser(value_parser!(i64))
                .value_name("ID")
                .help("The brand every request acts in (X-Popsell-Brand)."),
        )
        .arg(Arg::new("verbose").long("verbose").short('v').global(true).help_heading("Connection").action(ArgAction::SetTrue).help("Print each request line on stderr (never the token)."))
        .subcommand(chatrooms)
        .subcommand(
            Command::new("completions")
                .about("Print the completion script of a shell.")
                .arg(Arg::new("shell").required(true).value_parser(value_parser!(clap_complete::Shell))),
        )
}

pub async fn run(matches: &ArgMatches) -> Result<(), Failure> {
    match matches.subcommand() {
        Some(("completions", sub)) => {
            let shell = *sub.get_one::<clap_complete::Shell>("shell").expect("required");
            clap_complete::generate(shell, &mut command(), "popsell", &mut std::io::stdout());
            Ok(())
        }
        Some(("chatrooms", sub)) => chatrooms(sub).await,
        _ => Err(Failure::usage("a subcommand is required: chatrooms or completions")),
    }
}

fn client(matches: &ArgMatches) -> Result<Client, Failure> {
    let base_url = matches.get_one::<String>("base-url").ok_or_else(|| Failure::usage("no base URL: set POPSELL_BASE_URL or --base-url"))?;
    let token = matches.get_one::<String>("token").ok_or_else(|| Failure::usage("no token: set POPSELL_TOKEN or --token"))?;
    let brand = *matches.get_one::<i64>("brand").ok_or_else(|| Failure::usage("no brand: set POPSELL_BRAND or --brand"))?;
    Client::builder(base_url.as_str())
        .bearer(token.as_str())
        .brand(brand)
        .log_requests(matches.get_flag("verbose"))
        .build()
        .map_err(|e| Failure::usage(e.to_string()))
}

/// The configuration of the generated commands: what one prints when it
/// sends a request itself. `chatrooms` does not let it send: it takes the
/// request the flags make (`request_get_ambassador_chatrooms`) and fetches
/// or streams it with typed errors; this is kept correct for any operation
/// the spec may add.
struct Printing;

async fn chatrooms(matches: &ArgMatches) -> Result<(), Failure> {
    let client = client(matches)?;
    let base_url = client.base_url().to_owned();
    // The builder owns its client: it outlives the generated command.
    let request = Cli::new(client, Printing).request_get_ambassador_chatrooms(matches).into_owned();
    let format = matches.get_one::<Format>("output").copied().unwrap_or(if std::io::stdout().is_terminal() { Format::Table } else { Format::Json });
    let mut output = Output::new(format, std::io::stdout().lock());
    if !matches.get_flag("all") {
        let page = request.fetch().await.map_err(|e| describe(&e, &base_url))?;
        return output.page(&page).map_err(write_failure);
    }
    let limit = matches.get_one::<usize>("limit").copied().unwrap_or(usize::MAX);
    let progress = indicatif::ProgressBar::new_spinner();
    progress.set_style(indicatif::ProgressStyle::with_template("{spinner} {msg}").expect("a valid template"));
    if limit == 0 {
        return output.finish().map_err(write_failure);
    }
    let mut pages = request.pages();
    let (mut rooms, mut count) = (Vec::new(), 0usize);
    'pages: while let Some(page) = pages.try_next().await.map_err(|e| {
        progress.finish_and_clear();
        describe(&e, &base_url)
    })? {
        progress.set_message(format!("page {} of {}: {} of {} chatrooms", page.current_page, page.last_page, count + page.data.len(), page.total));
        progress.tick();
        for room in page.data.into_iter().take(limit - count) {
            count += 1;
            if format == Format::Json {
                rooms.push(room);
            } else {
                output.room(&room).map_err(write_failure)?;
            }
        }
        // Stop before asking for a page that would not be shown.
        if count == limit {
            break 'pages;
        }
    }
    progress.finish_and_clear();
    if format == Format::Json {
        output.rooms(&rooms).map_err(write_failure)?;
    }
    output.finish().map_err(write_failure)
}

fn write_failure(error: std::io::Error) -> Failure {
    let code = if error.kind() == std::io::ErrorKind::BrokenPipe { Code::ReaderGone } else { Code::Output };
    Failure { code, message: format!("cannot write the output: {error}") }
}

impl CliConfig for Printing {
    fn success_item<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(&self, value: &ResponseValue<T>) {
        println!("{}", serde_json::to_string_pretty(value.as_ref()).unwrap_or_default());
    }

    fn success_no_item(&self, _: &ResponseValue<()>) {}

    fn error<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(&self, value: &popsell_client::Error<T>) {
        eprintln!("{value}");
    }

    fn list_start<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(&self) {}

    fn list_item<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(&self, value: &T) {
        println!("{}", serde_json::to_string(value).unwrap_or_default());
    }

    fn list_end_success<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(&self) {}

    fn list_end_error<T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug>(&self, value: &popsell_client::Error<T>) {
        eprintln!("{value}");
    }
}
