// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace cartable {

// What went wrong, in a form every layer understands. The message key is the
// French text (or a catalog key) shown to the person; the detail goes to the
// log only and must never carry a secret.
enum class ErrorKind {
    Invalid,
    NotFound,
    Forbidden,
    Conflict,
    QuotaExceeded,
    Unauthenticated,
    TooMany,
    TooLarge,
    Internal,
};

struct Error {
    ErrorKind kind { ErrorKind::Internal };
    std::string message_key;
    std::string detail;

    static Error invalid(std::string message, std::string detail = {})
    {
        return { ErrorKind::Invalid, std::move(message), std::move(detail) };
    }
    static Error not_found(std::string message = "error.not_found", std::string detail = {})
    {
        return { ErrorKind::NotFound, std::move(message), std::move(detail) };
    }
    static Error forbidden(std::string message = "error.forbidden", std::string detail = {})
    {
        return { ErrorKind::Forbidden, std::move(message), std::move(detail) };
    }
    static Error conflict(std::string message, std::string detail = {})
    {
        return { ErrorKind::Conflict, std::move(message), std::move(detail) };
    }
    static Error too_many(std::string message = "error.too_many", std::string detail = {})
    {
        return { ErrorKind::TooMany, std::move(message), std::move(detail) };
    }
    static Error too_large(std::string message = "error.too_large", std::string detail = {})
    {
        return { ErrorKind::TooLarge, std::move(message), std::move(detail) };
    }
    static Error unauthenticated(std::string message = "error.unauthenticated", std::string detail = {})
    {
        return { ErrorKind::Unauthenticated, std::move(message), std::move(detail) };
    }
    static Error internal(std::string detail) { return { ErrorKind::Internal, "error.internal", std::move(detail) }; }
};

// A value or an error. Small on purpose: std::expected arrives with C++23.
template<typename T> class [[nodiscard]] ErrorOr {
public:
    ErrorOr(T value)
        : m_value(std::move(value))
    { }
    ErrorOr(Error error)
        : m_value(std::move(error))
    { }

    bool is_error() const { return std::holds_alternative<Error>(m_value); }
    explicit operator bool() const { return !is_error(); }

    T& value() & { return std::get<T>(m_value); }
    const T& value() const& { return std::get<T>(m_value); }
    T&& value() && { return std::get<T>(std::move(m_value)); }
    T release_value() { return std::get<T>(std::move(m_value)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }

    const Error& error() const { return std::get<Error>(m_value); }
    Error release_error() { return std::get<Error>(std::move(m_value)); }

private:
    std::variant<T, Error> m_value;
};

template<> class [[nodiscard]] ErrorOr<void> {
public:
    ErrorOr() = default;
    ErrorOr(Error error)
        : m_error(std::move(error))
        , m_has_error(true)
    { }

    bool is_error() const { return m_has_error; }
    explicit operator bool() const { return !m_has_error; }
    const Error& error() const { return m_error; }
    Error release_error() { return std::move(m_error); }
    void release_value() { }

private:
    Error m_error;
    bool m_has_error { false };
};

} // namespace cartable

// Evaluates an ErrorOr expression; returns its error from the enclosing
// function, or yields its value (GNU statement expression, as SerenityOS does).
#define TRY(expression)                                                                                                \
    ({                                                                                                                 \
        auto _try_result = (expression);                                                                               \
        if (_try_result.is_error()) [[unlikely]]                                                                       \
            return _try_result.release_error();                                                                        \
        _try_result.release_value();                                                                                   \
    })
