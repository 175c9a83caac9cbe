//! The request's `Accept`, handed to a service whose operation answers in
//! several representations (JSON and XML, say): the service chooses.

use axum::http::HeaderMap;
use axum::http::header::ACCEPT;

/// The media ranges a request accepts, with their weights.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Accept {
    ranges: Vec<(String, f32)>,
}

impl Accept {
    /// The `Accept` headers of a request (none: anything is accepted).
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let ranges = headers
            .get_all(ACCEPT)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|range| {
                let mut parts = range.split(';').map(str::trim);
                let media = parts.next().filter(|m| !m.is_empty())?.to_ascii_lowercase();
                let q = parts.find_map(|p| p.strip_prefix("q=")).and_then(|q| q.parse().ok()).unwrap_or(1.0);
                Some((media, q))
            })
            .collect();
        Accept { ranges }
    }

    /// How much `media_type` is wanted: 0 not at all, 1 fully; without
    /// `Accept`, fully.
    pub fn weight(&self, media_type: &str) -> f32 {
        if self.ranges.is_empty() {
            return 1.0;
        }
        let media = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let (kind, _) = media.split_once('/').unwrap_or((&media, ""));
        // The most specific matching range decides (RFC 9110).
        let specificity = |range: &str| match range {
            "*/*" => 0,
            r if r.ends_with("/*") => 1,
            _ => 2,
        };
        self.ranges
            .iter()
            .filter(|(range, _)| range == "*/*" || *range == media || range.strip_suffix("/*") == Some(kind))
            .max_by_key(|(range, _)| specificity(range))
            .map_or(0.0, |(_, q)| *q)
    }

    /// Whether `media_type` is acceptable.
    pub fn accepts(&self, media_type: &str) -> bool {
        self.weight(media_type) > 0.0
    }

    /// The one of `offered` the request wants most (the first on a tie);
    /// `None` when it accepts none of them.
    pub fn preferred<'a>(&self, offered: &[&'a str]) -> Option<&'a str> {
        let mut best: Option<(&'a str, f32)> = None;
        for media in offered {
            let weight = self.weight(media);
            if weight > 0.0 && best.is_none_or(|(_, w)| weight > w) {
                best = Some((media, weight));
            }
        }
        best.map(|(media, _)| media)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn accept(value: &str) -> Accept {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_str(value).unwrap());
        Accept::from_headers(&headers)
    }

    #[test]
    fn the_preferred_representation() {
        let offered = ["application/json", "application/xml"];
        assert_eq!(Accept::default().preferred(&offered), Some("application/json"));
        assert_eq!(accept("application/xml").preferred(&offered), Some("application/xml"));
        assert_eq!(accept("application/json;q=0.5, application/xml").preferred(&offered), Some("application/xml"));
        assert_eq!(accept("text/*").preferred(&offered), None);
        assert_eq!(accept("*/*;q=0.1, application/*;q=0").preferred(&offered), None);
        assert!(accept("*/*").accepts("image/png"));
    }
}
