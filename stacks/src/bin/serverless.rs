//! `cargo run -p stacks --bin serverless -- <command>`; see `--help`.

fn main() -> std::process::ExitCode {
    stacks::serverless::app().run()
}
