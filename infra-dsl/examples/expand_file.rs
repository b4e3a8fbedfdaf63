//! Prints the expansion of the first `stack!` or `component!` of a file, for reading what
//! the macro generates: `cargo run -p infra-dsl --example expand_file -- stacks/src/loan.rs`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: expand_file <file.rs>");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    match infra_dsl::find_body(&text) {
        Ok((mode, body)) => println!("{}", infra_dsl::expand_as(body, mode)),
        Err(e) => {
            eprintln!("error: {path}: {e}");
            std::process::exit(1);
        }
    }
}
