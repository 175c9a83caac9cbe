//! Laravel's `LengthAwarePaginator`, as it serializes a page: the numbers,
//! the page URLs and the `links` window. Servers (the reference server, the
//! client's mock) build pages with it, so they look like the real API's.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::{Chatroom, ChatroomPage, PaginationLink};

/// RFC 3986 unreserved characters stay; everything else is encoded, as
/// PHP's `http_build_query(..., PHP_QUERY_RFC3986)` does.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The request a page answers.
#[derive(Clone, Debug)]
pub struct PageRequest<'a> {
    /// The URL of the route without query (`https://…/chatrooms`).
    pub path: &'a str,
    /// The request's query pairs in their order, `page` excluded.
    pub query: &'a [(String, String)],
    /// The requested page (may be past the last one).
    pub page: i64,
    /// The page size.
    pub per_page: i64,
}

impl PageRequest<'_> {
    /// The URL of page `page`: the query as it came, then `page=N`.
    pub fn url(&self, page: i64) -> String {
        let mut url = format!("{}?", self.path);
        for (key, value) in self.query.iter().filter(|(k, _)| k != "page") {
            url.push_str(&format!("{}={}&", utf8_percent_encode(key, QUERY_VALUE), utf8_percent_encode(value, QUERY_VALUE)));
        }
        url.push_str(&format!("page={page}"));
        url
    }

    /// The last page for `total` items (at least 1, as Laravel's).
    pub fn last_page(&self, total: i64) -> i64 {
        ((total + self.per_page - 1) / self.per_page.max(1)).max(1)
    }

    /// The `links` window (one side = 3): every page under 14 pages;
    /// otherwise the first 10 or last 10 pages near an end, or the current
    /// page ± 3, with `...` separators, between « Previous and Next ».
    pub fn links(&self, last_page: i64) -> Vec<PaginationLink> {
        let current = self.page;
        let link = |url: Option<String>, label: String, active: bool| PaginationLink::builder().maybe_url(url).label(label).active(active).build();
        let page_link = |page: i64| link(Some(self.url(page)), page.to_string(), page == current);
        let dots = || link(None, "...".into(), false);
        let range = |from: i64, to: i64| (from..=to).map(page_link).collect::<Vec<_>>();
        const EACH_SIDE: i64 = 3;
        const WINDOW: i64 = EACH_SIDE + 4;
        let mut pages = Vec::new();
        if last_page < EACH_SIDE * 2 + 8 {
            pages.extend(range(1, last_page));
        } else if current <= WINDOW {
            pages.extend(range(1, WINDOW + EACH_SIDE));
            pages.push(dots());
            pages.extend(range(last_page - 1, last_page));
        } else if current > last_page - WINDOW {
            pages.extend(range(1, 2));
            pages.push(dots());
            pages.extend(range(last_page - (WINDOW + EACH_SIDE - 1), last_page));
        } else {
            pages.extend(range(1, 2));
            pages.push(dots());
            pages.extend(range(current - EACH_SIDE, current + EACH_SIDE));
            pages.push(dots());
            pages.extend(range(last_page - 1, last_page));
        }
        let previous = link(self.previous_url(), "&laquo; Previous".into(), false);
        let next = link(self.next_url(last_page), "Next &raquo;".into(), false);
        std::iter::once(previous).chain(pages).chain(std::iter::once(next)).collect()
    }

    fn previous_url(&self) -> Option<String> {
        (self.page > 1).then(|| self.url(self.page - 1))
    }

    fn next_url(&self, last_page: i64) -> Option<String> {
        (self.page < last_page).then(|| self.url(self.page + 1))
    }
}

impl ChatroomPage {
    /// The page of `data` (the items of page `request.page`) out of `total`.
    pub fn laravel(data: Vec<Chatroom>, total: i64, request: &PageRequest<'_>) -> ChatroomPage {
        let last_page = request.last_page(total);
        let first_item = (request.page - 1) * request.per_page + 1;
        let count = data.len() as i64;
        let (from, to) = if count == 0 { (None, None) } else { (Some(first_item), Some(first_item + count - 1)) };
        ChatroomPage::builder()
            .current_page(request.page)
            .data(data)
            .first_page_url(request.url(1))
            .maybe_from(from)
            .last_page(last_page)
            .last_page_url(request.url(last_page))
            .links(request.links(last_page))
            .maybe_next_page_url(request.next_url(last_page))
            .path(request.path)
            .per_page(request.per_page)
            .maybe_prev_page_url(request.previous_url())
            .maybe_to(to)
            .total(total)
            .build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "https://domain.tld/api/v2/chat/ambassadors/42/chatrooms";

    fn labels(page: i64, last_page: i64) -> Vec<String> {
        let request = PageRequest { path: PATH, query: &[], page, per_page: 1 };
        request.links(last_page).into_iter().map(|l| l.label).collect()
    }

    #[test]
    fn urls_keep_the_query_in_order_and_put_the_page_last() {
        let query = [("filter[archived]".to_owned(), "0".to_owned()), ("per_page".to_owned(), "3".to_owned()), ("page".to_owned(), "1".to_owned())];
        let request = PageRequest { path: PATH, query: &query, page: 1, per_page: 3 };
        assert_eq!(request.url(2), format!("{PATH}?filter%5Barchived%5D=0&per_page=3&page=2"));
    }

    #[test]
    fn page_one_of_sixteen_has_fifteen_links() {
        let labels = labels(1, 16);
        assert_eq!(labels.len(), 15);
        assert_eq!(labels[0], "&laquo; Previous");
        assert_eq!(labels[1..11], ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
        assert_eq!(labels[11..], ["...", "15", "16", "Next &raquo;"]);
    }

    #[test]
    fn the_window_follows_laravel() {
        assert_eq!(labels(5, 13).len(), 15, "under 14 pages every page is listed");
        assert_eq!(labels(8, 20)[1..], ["1", "2", "...", "5", "6", "7", "8", "9", "10", "11", "...", "19", "20", "Next &raquo;"]);
        assert_eq!(labels(14, 20)[1..4], ["1", "2", "..."]);
        assert_eq!(labels(14, 20)[4], "11");
    }

    #[test]
    fn an_empty_page_past_the_end() {
        let request = PageRequest { path: PATH, query: &[], page: 9, per_page: 15 };
        let page = ChatroomPage::laravel(vec![], 17, &request);
        assert_eq!((page.from, page.to, page.last_page), (None, None, 2));
        assert_eq!(page.prev_page_url.as_deref(), Some(format!("{PATH}?page=8").as_str()));
        assert_eq!(page.next_page_url, None);
        assert!(page.links.iter().all(|l| !l.active));
    }

    #[test]
    fn an_empty_result_has_one_page() {
        let request = PageRequest { path: PATH, query: &[], page: 1, per_page: 15 };
        let page = ChatroomPage::laravel(vec![], 0, &request);
        assert_eq!((page.last_page, page.total, page.links.len()), (1, 0, 3));
        assert_eq!((page.prev_page_url.clone(), page.next_page_url.clone()), (None, None));
    }
}
