// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/http/router.h"
#include <algorithm>

namespace cartable::http {

std::vector<std::string_view> split_path(std::string_view path)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start < path.size()) {
        auto slash = path.find('/', start);
        if (slash == std::string_view::npos)
            slash = path.size();
        if (slash > start)
            parts.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return parts;
}

std::optional<Router::Compiled> Router::compile(std::string_view pattern)
{
    if (pattern.empty() || pattern.front() != '/')
        return std::nullopt;
    Compiled compiled;
    auto parts = split_path(pattern);
    for (std::size_t index = 0; index < parts.size(); ++index) {
        auto part = parts[index];
        Segment segment;
        if (part.front() == '{') {
            if (part.size() < 3 || part.back() != '}')
                return std::nullopt;
            auto name = part.substr(1, part.size() - 2);
            if (name.back() == '*') {
                if (index + 1 != parts.size())
                    return std::nullopt;
                segment.is_rest = true;
                name.remove_suffix(1);
            }
            segment.is_parameter = true;
            segment.text = std::string(name);
        } else {
            if (part.find_first_of("{}") != std::string_view::npos)
                return std::nullopt;
            segment.text = std::string(part);
        }
        compiled.segments.push_back(std::move(segment));
    }
    return compiled;
}

ErrorOr<void> Router::add(Route route)
{
    if (route.capability.empty())
        return Error::internal("route " + route.pattern + " names no capability");
    if (!route.handler)
        return Error::internal("route " + route.pattern + " has no handler");
    auto compiled = compile(route.pattern);
    if (!compiled)
        return Error::internal("malformed route pattern " + route.pattern);
    for (auto const& existing : m_routes) {
        if (existing.method == route.method && existing.pattern == route.pattern)
            return Error::internal("duplicate route " + route.pattern);
    }
    m_routes.push_back(std::move(route));
    m_compiled.push_back(std::move(*compiled));
    return {};
}

bool Router::matches(Compiled const& compiled, std::vector<std::string_view> const& parts,
    std::vector<std::pair<std::string, std::string>>& parameters)
{
    parameters.clear();
    auto const& segments = compiled.segments;
    bool has_rest = !segments.empty() && segments.back().is_rest;
    if (has_rest ? parts.size() < segments.size() : parts.size() != segments.size())
        return false;
    for (std::size_t index = 0; index < segments.size(); ++index) {
        auto const& segment = segments[index];
        if (segment.is_rest) {
            std::string rest;
            for (std::size_t part = index; part < parts.size(); ++part) {
                if (!rest.empty())
                    rest += '/';
                rest += parts[part];
            }
            parameters.emplace_back(segment.text, std::move(rest));
            return true;
        }
        if (segment.is_parameter)
            parameters.emplace_back(segment.text, std::string(parts[index]));
        else if (segment.text != parts[index])
            return false;
    }
    return true;
}

RouteMatch Router::match(Method method, std::string_view path) const
{
    RouteMatch result;
    auto parts = split_path(path);
    std::vector<std::pair<std::string, std::string>> parameters;
    // Literal routes win over parameter routes: try exact patterns first.
    for (int pass = 0; pass < 2; ++pass) {
        for (std::size_t index = 0; index < m_routes.size(); ++index) {
            bool literal = m_routes[index].pattern.find('{') == std::string::npos;
            if (literal != (pass == 0))
                continue;
            if (!matches(m_compiled[index], parts, parameters))
                continue;
            auto route_method = m_routes[index].method;
            if (route_method == method || (method == Method::Head && route_method == Method::Get)) {
                result.route = &m_routes[index];
                result.parameters = std::move(parameters);
                return result;
            }
            result.path_known = true;
            if (std::find(result.allowed.begin(), result.allowed.end(), route_method) == result.allowed.end())
                result.allowed.push_back(route_method);
            if (route_method == Method::Get
                && std::find(result.allowed.begin(), result.allowed.end(), Method::Head) == result.allowed.end())
                result.allowed.push_back(Method::Head);
        }
    }
    return result;
}

} // namespace cartable::http
