//! `cargo run -p stacks -- <command>`; see `--help`.

fn main() -> std::process::ExitCode {
    stacks::app().run()
}
