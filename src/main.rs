use clap::Parser;

use gigawatt::cli::{self, Cli, Command};

fn main() {
    let cli = Cli::parse();
    let code = match &cli.command {
        Some(Command::Check { file }) => cli::check(file.as_deref().or(cli.data.as_deref())),
        Some(Command::Export { table, format }) => {
            cli::export(cli.data.as_deref(), *table, *format)
        }
        Some(Command::Init {
            file,
            subject,
            force,
        }) => cli::init(file, subject, *force),
        None => 0,
    };
    std::process::exit(code);
}
