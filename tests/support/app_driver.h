// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "app/application.h"
#include "tests/support/test_database.h"
#include <map>
#include <string>

namespace cartable::testing {

// Drives the real Application in process, as a browser would: keeps the
// cookies it is given and sends them back.
class AppDriver {
public:
    AppDriver();
    explicit AppDriver(std::function<void(Config&)> const& configure);

    http::Response get(std::string const& target);
    http::Response post(std::string const& path, std::vector<std::pair<std::string, std::string>> form);
    // A multipart form with files, as the server hands them over: each file
    // already written to a temporary file (field, file name, content).
    struct File {
        std::string field;
        std::string name;
        std::string content;
    };
    http::Response post_files(
        std::string const& path, std::vector<std::pair<std::string, std::string>> form, std::vector<File> const& files);
    // Signs in through the credential form, with the current CSRF token, and
    // accepts the charter when asked to (the sign-in's response is returned).
    http::Response sign_in(std::string const& login, std::string const& password);
    // The same, leaving the charter unaccepted.
    http::Response sign_in_only(std::string const& login, std::string const& password);
    // « J'accepte la charte d'utilisation de l'ENT » on the charter page.
    http::Response accept_charter();
    std::string csrf_token(); // the hidden csrf field of the credentials (or any) page
    // A call of the REST API as the mobile application makes it: a bearer
    // token, no cookie.
    http::Response api(http::Method method, std::string const& target, std::string const& bearer);
    void forget_cookies() { m_cookies.clear(); }
    std::string cookie(std::string const& name) const;
    void set_cookie(std::string const& name, std::string const& value) { m_cookies[name] = value; }
    Services& services() { return *m_services; }
    std::string remote_address { "192.0.2.10" };

private:
    http::Response send(http::Request request);
    std::unique_ptr<Services> m_services;
    std::unique_ptr<app::Application> m_application;
    std::map<std::string, std::string> m_cookies;
    std::string m_last_csrf;
};

std::string hidden_field(std::string const& html, std::string const& name);

inline bool contains(std::string const& text, std::string const& part)
{
    return text.find(part) != std::string::npos;
}

// The id of the account of that login, 0 if none.
long long user_id(AppDriver& driver, std::string const& login);
// The first column of the first row of a query of the test's own (a count,
// an id), 0 if none.
long long query_value(AppDriver& driver, std::string const& sql);
// The rows of every table whose name is LIKE `pattern` ("%": all; full-text
// search tables left out): what a request wrote, or left as it was, is the
// difference.
long long rows_of_tables(AppDriver& driver, std::string const& pattern);
// The id of the space of the class of that name (« TPRO »), 0 if none.
long long class_space_id(AppDriver& driver, std::string const& class_name);

} // namespace cartable::testing
