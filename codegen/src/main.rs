//! `cargo run -p codegen [-- --check]`: regenerates infra-runtime's typed resource model
//! from the schemas in codegen/schemas/, or with `--check` only says whether it is stale.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let check = std::env::args().skip(1).any(|a| a == "--check");
    let result = if check {
        codegen::stale_files(&root).map(|stale| {
            for path in &stale {
                eprintln!("stale: {}", path.display());
            }
            if stale.is_empty() { 0 } else { stale.len() }
        })
    } else {
        codegen::write(&root).map(|generated| {
            eprintln!(
                "codegen: wrote {} files under {}",
                generated.files.len(),
                codegen::OUTPUT_DIR
            );
            eprintln!(
                "codegen: {} properties kept as JSON (no faithful Rust shape), listed in {}",
                generated.degraded.len(),
                codegen::DEGRADED_FILE
            );
            0
        })
    };
    match result {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => {
            eprintln!("error: the generated model is stale; run `cargo run -p codegen`");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
