use clap::Parser;

use gigawatt::cli::{self, Cli, Command};
use gigawatt::theme::Theme;
use gigawatt::tui;

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
        None => explore(&cli),
    };
    std::process::exit(code);
}

fn explore(cli: &Cli) -> i32 {
    let no_color = std::env::var("NO_COLOR").ok();
    let options = tui::Options {
        data: cli.data.clone(),
        color: Theme::wants_color(cli.color, no_color.as_deref()),
        watch: !cli.no_watch,
        export_dir: cli.export_dir.clone(),
    };
    match tui::run(options) {
        Ok(None) => 0,
        Ok(Some(report)) => {
            eprint!("{report}");
            1
        }
        Err(e) => {
            eprintln!("gigawatt: terminal error: {e}");
            1
        }
    }
}
