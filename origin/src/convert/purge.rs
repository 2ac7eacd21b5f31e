//! After a reconversion, the origin's caches still hold derivatives of the old image: the admin API
//! purges each converted identifier.

use tessella_core::iiif::encode_identifier;

/// Purges `arks` at the origin `base`; returns the ones that failed, with why.
pub async fn purge(base: &str, token: &str, arks: &[String]) -> Vec<(String, String)> {
    let client = reqwest::Client::new();
    let base = base.trim_end_matches('/');
    let mut failures = Vec::new();
    for ark in arks {
        let url = format!("{base}/admin/cache/images/{}", encode_identifier(ark));
        match client.delete(&url).bearer_auth(token).send().await {
            Ok(r) if r.status().is_success() => {
                tracing::debug!(ark, "purged");
            }
            Ok(r) => failures.push((ark.clone(), format!("{} from {url}", r.status()))),
            Err(e) => failures.push((ark.clone(), e.to_string())),
        }
    }
    failures
}
