vcl 4.1;
# The edge cache of the Procura+ Network site (docs/operations.md, "The edge cache").
#
# Visitors' pages come from here: the app says in Cache-Control how long a shared cache may
# keep each response (s-maxage) and in X-Cache-Tags what it shows (home/cache.py). When a
# page changes, the app bans by tag (BAN, header X-Ban-Tags) or purges an address (PURGE,
# Wagtail's frontend cache module), from the addresses in `purgers` only.
# `make serve` runs this file in front of gunicorn on 127.0.0.1:8001.

import std;

backend app {
    .host = "127.0.0.1";
    .port = "8001";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 10s;
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN" || req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.method == "BAN") {
            if (!req.http.X-Ban-Tags) {
                return (synth(400, "X-Ban-Tags missing"));
            }
            # The pattern has no spaces or quotes (home/cache.py: ban_pattern): VCL's ban()
            # takes the rest of the string, quotes included, as the value.
            ban("obj.http.X-Cache-Tags ~ " + req.http.X-Ban-Tags);
            return (synth(200, "Banned"));
        }
        # An address with every query string of it (a listing's filters and pages).
        ban("obj.http.X-Url-Path == " + regsub(req.url, "\?.*$", ""));
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin, password forms and the health check are never taken from the cache.
    if (req.url ~ "^/(admin|_util|health)(/|$)") {
        return (pass);
    }
    # Uploaded images are the same for everyone (procura/media.py serves no documents).
    if (req.url ~ "^/media/") {
        unset req.http.Cookie;
        return (hash);
    }
    # Signed-in editors and translators, and visitors who gave a page's password, have a
    # session: they get what the app gives them.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken)=") {
        return (pass);
    }
    # Visitors need no cookies (the language is in the address): one copy for all.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # What a PURGE of the address matches, whatever the query string.
    set beresp.http.X-Url-Path = regsub(bereq.url, "\?.*$", "");
    if (beresp.http.Content-Type ~ "^(text/|application/(json|xml|rss\+xml|atom\+xml|javascript)|image/svg\+xml)") {
        set beresp.do_gzip = true;
    }
    # Responses that set a cookie or say private, no-cache or no-store are not kept (the
    # built-in logic that follows makes them hit-for-miss).
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.X-Url-Path;
    unset resp.http.X-Cache-Tags;
    unset resp.http.Via;
}
