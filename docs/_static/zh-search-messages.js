// Sphinx 8.2's Chinese catalogue lacks the plural message its search page shows
// when a search finishes, which would otherwise appear in English. Chinese has
// one plural form (index 0 is used for every count).
Documentation.TRANSLATIONS["Search finished, found one page matching the search query."] = [
  "搜索完成，找到 ${resultCount} 个匹配的页面。",
];
