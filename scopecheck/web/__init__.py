"""Read live web pages: fetch one URL, or crawl a site (same host, robots.txt, sitemap.xml)."""
