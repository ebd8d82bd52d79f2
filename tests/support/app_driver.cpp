// SPDX-License-Identifier: AGPL-3.0-or-later
#include "tests/support/app_driver.h"
#include "app/demo_school.h"
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace cartable::testing {

AppDriver::AppDriver()
    : AppDriver([](Config&) {})
{ }

AppDriver::AppDriver(std::function<void(Config&)> const& configure)
{
    m_services = fresh_services();
    configure(m_services->config);
    auto loaded = app::load_demo_school(*m_services);
    if (loaded.is_error())
        throw std::runtime_error("demo school: " + loaded.error().detail);
    auto router = app::build_router(m_services->capabilities);
    if (router.is_error())
        throw std::runtime_error("router: " + router.error().detail);
    m_application = std::make_unique<app::Application>(*m_services, router.release_value());
}

long long user_id(AppDriver& driver, std::string const& login)
{
    long long id = 0;
    auto lease = driver.services().database->lease();
    lease.session() << "SELECT id FROM identity_user WHERE login = :login", soci::use(login), soci::into(id);
    return id;
}

std::string hidden_field(std::string const& html, std::string const& name)
{
    auto marker = "name=\"" + name + "\" value=\"";
    auto start = html.find(marker);
    if (start == std::string::npos)
        return {};
    start += marker.size();
    return html.substr(start, html.find('"', start) - start);
}

http::Response AppDriver::send(http::Request request)
{
    std::string cookies;
    for (auto const& [name, value] : m_cookies)
        cookies += (cookies.empty() ? "" : "; ") + name + "=" + value;
    if (!cookies.empty())
        request.headers.emplace_back("cookie", cookies);
    request.remote_address = remote_address;
    auto response = m_application->handle(request);
    for (auto const& [name, value] : response.headers) {
        if (name != "Set-Cookie")
            continue;
        auto equals = value.find('=');
        auto end = value.find(';');
        auto cookie_name = value.substr(0, equals);
        auto cookie_value = value.substr(equals + 1, end - equals - 1);
        if (value.find("Max-Age=0") != std::string::npos)
            m_cookies.erase(cookie_name);
        else
            m_cookies[cookie_name] = cookie_value;
    }
    auto token = hidden_field(response.body, "csrf");
    if (!token.empty())
        m_last_csrf = token;
    return response;
}

http::Response AppDriver::get(std::string const& target)
{
    http::Request request;
    request.method = http::Method::Get;
    request.target = target;
    auto question = target.find('?');
    request.path = target.substr(0, question);
    if (question != std::string::npos)
        request.query = http::parse_urlencoded(target.substr(question + 1)).release_value();
    return send(std::move(request));
}

http::Response AppDriver::post(std::string const& path, std::vector<std::pair<std::string, std::string>> form)
{
    http::Request request;
    request.method = http::Method::Post;
    request.target = path;
    request.path = path;
    request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
    for (auto& [name, value] : form)
        request.form.add(name, value);
    return send(std::move(request));
}

http::Response AppDriver::post_files(
    std::string const& path, std::vector<std::pair<std::string, std::string>> form, std::vector<File> const& files)
{
    http::Request request;
    request.method = http::Method::Post;
    request.target = path;
    request.path = path;
    request.headers.emplace_back("content-type", "multipart/form-data; boundary=x");
    for (auto& [name, value] : form)
        request.form.add(name, value);
    auto directory = m_services->config.data_directory / "uploads-in-test";
    std::filesystem::create_directories(directory);
    static int counter = 0;
    for (auto const& file : files) {
        http::UploadedFile uploaded;
        uploaded.field_name = file.field;
        uploaded.file_name = file.name;
        uploaded.content_type = "application/octet-stream";
        uploaded.path = directory / ("upload-" + std::to_string(++counter));
        std::ofstream(uploaded.path, std::ios::binary) << file.content;
        uploaded.size = file.content.size();
        request.files.push_back(std::move(uploaded));
    }
    auto response = send(std::move(request));
    return response;
}

http::Response AppDriver::api(http::Method method, std::string const& target, std::string const& bearer)
{
    http::Request request;
    request.method = method;
    request.target = target;
    auto question = target.find('?');
    request.path = target.substr(0, question);
    if (question != std::string::npos)
        request.query = http::parse_urlencoded(target.substr(question + 1)).release_value();
    if (!bearer.empty())
        request.headers.emplace_back("authorization", "Bearer " + bearer);
    request.remote_address = remote_address;
    return m_application->handle(request);
}

std::string AppDriver::csrf_token()
{
    if (m_last_csrf.empty())
        get("/connexion/identifiants");
    return m_last_csrf;
}

http::Response AppDriver::sign_in_only(std::string const& login, std::string const& password)
{
    get("/connexion/identifiants?profil=eleve-parent&academie=montpellier");
    return post("/connexion/identifiants",
        { { "csrf", m_last_csrf }, { "profil", "eleve-parent" }, { "academie", "montpellier" },
            { "identifiant", login }, { "mot_de_passe", password } });
}

http::Response AppDriver::sign_in(std::string const& login, std::string const& password)
{
    auto response = sign_in_only(login, password);
    if (response.status == 303 && response.header("Location") == "/premiere-connexion")
        accept_charter();
    return response;
}

http::Response AppDriver::accept_charter()
{
    auto page = get("/premiere-connexion");
    return post(
        "/premiere-connexion/charte", { { "csrf", m_last_csrf }, { "version", hidden_field(page.body, "version") } });
}

std::string AppDriver::cookie(std::string const& name) const
{
    auto found = m_cookies.find(name);
    return found == m_cookies.end() ? std::string() : found->second;
}

long long query_value(AppDriver& driver, std::string const& sql)
{
    auto lease = driver.services().database->lease();
    long long value = 0;
    lease.session() << sql, soci::into(value);
    return value;
}

long long class_space_id(AppDriver& driver, std::string const& class_name)
{
    auto lease = driver.services().database->lease();
    long long id = 0;
    lease.session() << "SELECT s.id FROM class_space s JOIN identity_class c ON c.id = s.class_id WHERE c.name = :name",
        soci::use(class_name), soci::into(id);
    return id;
}

long long rows_of_tables(AppDriver& driver, std::string const& pattern)
{
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    bool const sqlite = session.get_backend_name() == "sqlite3";
    std::vector<std::string> tables;
    std::string name;
    soci::statement list = (session.prepare
            << (sqlite ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE :pattern AND name NOT "
                         "LIKE 'sqlite_%' AND name NOT LIKE '%search%'"
                       : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND "
                         "table_type = 'BASE TABLE' AND table_name LIKE :pattern"),
        soci::use(pattern), soci::into(name));
    list.execute();
    while (list.fetch())
        tables.push_back(name);
    long long total = 0;
    for (auto const& table : tables) {
        long long count = 0;
        session << "SELECT COUNT(*) FROM " + table, soci::into(count);
        total += count;
    }
    return total;
}

} // namespace cartable::testing
