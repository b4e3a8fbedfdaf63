//! The committed model in infra-runtime/src/aws must be exactly what the generator makes
//! from the committed schemas; otherwise someone edited generated code or forgot to
//! regenerate.

use std::path::Path;

#[test]
fn generated_model_is_not_stale() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let stale = codegen::stale_files(&root).unwrap_or_else(|e| panic!("the generator failed: {e}"));
    assert!(
        stale.is_empty(),
        "these generated files differ from the generator's output: {stale:?}; run `cargo run -p codegen` and commit the result"
    );
}

#[test]
fn every_listed_type_has_a_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = codegen::generate(&root).expect("generates");
    for type_name in codegen::type_list(&root).expect("types.txt") {
        let (service, module, _) = codegen::naming::type_names(&type_name);
        let path = Path::new(codegen::OUTPUT_DIR)
            .join(service)
            .join(format!("{module}.rs"));
        let text = files
            .get(&path)
            .unwrap_or_else(|| panic!("no module for {type_name}"));
        assert!(text.contains(&format!("const TYPE_NAME: &'static str = \"{type_name}\";")));
    }
}
