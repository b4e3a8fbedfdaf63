//! `cargo run -p stacks --bin reference -- <command>`; see `--help`.

fn main() -> std::process::ExitCode {
    stacks::reference::app().run()
}
