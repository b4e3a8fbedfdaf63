//! The README stays a short way in (at most 10 kB) and every link of it and of `docs/`
//! leads to a file of the repository.

use tests::workspace_root;

/// The relative link targets of a Markdown text (`[text](target)`), without anchors.
fn links(text: &str) -> Vec<String> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|target| !target.contains("://") && !target.starts_with('#'))
        .map(|target| target.split('#').next().unwrap_or(target).to_owned())
        .collect()
}

#[test]
fn the_readme_is_short_and_every_link_leads_somewhere() {
    let root = workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    assert!(
        readme.len() <= 10 * 1024,
        "README is {} bytes",
        readme.len()
    );
    let mut pages = vec![(root.join("README.md"), readme)];
    for entry in std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path).expect("a page");
            pages.push((path, text));
        }
    }
    assert!(pages.len() >= 7, "{} pages", pages.len());
    for (page, text) in &pages {
        let dir = page.parent().expect("a directory");
        for target in links(text) {
            assert!(
                dir.join(&target).exists(),
                "{} links to {target}, which does not exist",
                page.display()
            );
        }
    }
}
