//! The committed model in infra-runtime/src/aws (and the other generated files) must be
//! exactly what the generator makes from the committed schemas; otherwise someone edited
//! generated code or forgot to regenerate. One generation serves both checks: it takes
//! about a minute for the whole registry.

use std::path::Path;

#[test]
fn the_generated_model_is_current_and_has_every_type() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let generated =
        codegen::generate(&root).unwrap_or_else(|e| panic!("the generator failed: {e}"));
    let stale = codegen::stale_among(&root, &generated.files);
    assert!(
        stale.is_empty(),
        "these generated files differ from the generator's output: {stale:?}; run `cargo run -p codegen` and commit the result"
    );
    let types = codegen::type_list(&root).expect("the schemas");
    assert!(types.len() > 1800, "{} types", types.len());
    for type_name in types {
        let (service, module, _) = codegen::naming::type_names(&type_name);
        let path = Path::new(codegen::OUTPUT_DIR)
            .join(service)
            .join(format!("{module}.rs"));
        let text = generated
            .files
            .get(&path)
            .unwrap_or_else(|| panic!("no module for {type_name}"));
        assert!(
            text.contains("const TYPE_NAME") && text.contains(&format!("\"{type_name}\";")),
            "{} does not define {type_name}",
            path.display()
        );
    }
}
