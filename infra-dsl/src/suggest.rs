//! "Did you mean …": the closest known name by edit distance, if it is close enough, or
//! the one known name a word begins.

/// The candidate closest to `word`, when the distance is at most a third of its length
/// (at least one edit).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// The nearest candidate as [`did_you_mean`] finds it or, failing that, the only
/// candidate whose `_`-separated words start with `word`'s (`fargate` for
/// `fargate_service`, `load` for `load_balancer`).
pub fn did_you_mean_or_longer<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    did_you_mean(word, candidates.clone()).or_else(|| {
        let mut longer = candidates
            .into_iter()
            .filter(|c| *c != word && c.starts_with(word) && c[word.len()..].starts_with('_'));
        match (longer.next(), longer.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    })
}

/// Levenshtein distance with adjacent transpositions (optimal string alignment).
pub fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("alb_gs", ["alb_sg", "app_sg", "db_sg"]),
            Some("alb_sg")
        );
        assert_eq!(did_you_mean("network", ["logs", "key"]), None);
        assert_eq!(distance("ab", "ba"), 1);
    }

    #[test]
    fn suggests_the_one_longer_name_a_word_begins() {
        let keywords = [
            "fargate_service",
            "load_balancer",
            "log_group",
            "security_group",
        ];
        assert_eq!(
            did_you_mean_or_longer("fargate", keywords),
            Some("fargate_service")
        );
        assert_eq!(
            did_you_mean_or_longer("load", keywords),
            Some("load_balancer")
        );
        assert_eq!(did_you_mean_or_longer("fargat", keywords), None);
        assert_eq!(did_you_mean_or_longer("group", keywords), None);
    }
}
