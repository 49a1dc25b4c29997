use gigawatt::cli::{self, Cli, Command};
use gigawatt::tui;
use gigawatt::ui::theme::Theme;

fn main() {
    let cli = cli::parse();
    // Rust's standard output swallows writes to a closed descriptor, so a
    // command run `>&-` would print nothing and report success.
    if cli.command.is_some()
        && let Some(why) = cli::stdout_closed()
    {
        eprintln!("gigawatt: {why}");
        std::process::exit(1);
    }
    let code = match &cli.command {
        Some(Command::Check { file, data, strict }) => {
            let paths = [file, data, &cli.data]
                .into_iter()
                .find(|p| !p.is_empty())
                .map_or(&[][..], Vec::as_slice);
            cli::check(paths, *strict)
        }
        Some(Command::Export {
            table,
            format,
            data,
            strict,
            raw,
        }) => {
            let paths = if data.is_empty() { &cli.data } else { data };
            cli::export(paths, *strict, *table, *format, *raw)
        }
        Some(Command::Init {
            file,
            subject,
            format,
            force,
        }) => cli::init(file, subject, *format, *force),
        Some(Command::Import {
            inputs,
            output,
            force,
        }) => cli::import(inputs, output, *force),
        Some(Command::Completions { shell }) => cli::completions(*shell),
        Some(Command::Diff { old, new, format }) => cli::diff(old, new, *format),
        Some(Command::Man) => cli::man(),
        Some(Command::Config { default }) => cli::config(cli.config.as_deref(), *default),
        None => explore(&cli),
    };
    std::process::exit(code);
}

fn explore(cli: &Cli) -> i32 {
    use std::io::Write;
    let mut stderr = std::io::stderr();
    let config = match gigawatt::cli::config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            let _ = stderr.write_all(e.report().as_bytes());
            return 1;
        }
    };
    let no_color = std::env::var("NO_COLOR").ok();
    let color = Theme::wants_color(cli.color.forced(), no_color.as_deref());
    let theme = match config.theme(cli.theme.map(|t| t.as_str()), color) {
        Ok(theme) => theme,
        Err(e) => {
            let _ = writeln!(
                stderr,
                "gigawatt: {}",
                gigawatt_model::text::escape_controls(&e)
            );
            return 1;
        }
    };
    let level = std::env::var("GIGAWATT_LOG").ok();
    if let Err(e) = gigawatt::cli::log::init(cli.log.as_deref(), level.as_deref()) {
        let _ = writeln!(
            stderr,
            "gigawatt: {}",
            gigawatt_model::text::escape_controls(&e)
        );
        return 1;
    }
    let options = tui::Options {
        data: cli.data.clone(),
        theme,
        keymap: config.keymap,
        watch: !cli.no_watch,
        export_dir: cli.export_dir.clone(),
    };
    let term = std::env::var("TERM").ok();
    if let Some(why) = tui::unusable(term.as_deref()) {
        let _ = writeln!(stderr, "gigawatt: {why}");
        return 1;
    }
    match tui::run(options) {
        Ok(tui::Outcome {
            signal: Some(number),
            ..
        }) => 128 + number,
        Ok(tui::Outcome {
            report: Some(report),
            ..
        }) => {
            let _ = stderr.write_all(report.as_bytes());
            1
        }
        Ok(_) => 0,
        Err(e) => {
            let message = gigawatt_model::text::escape_controls(&e.to_string()).into_owned();
            let _ = writeln!(stderr, "gigawatt: terminal error: {message}");
            1
        }
    }
}
