// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

// An e-mail as SMTP carries it (RFC 5322 headers, MIME of RFC 2045–2049):
// French text in UTF-8, a plain-text part and an HTML part as
// multipart/alternative, each in base64; a subject or a sender's name
// outside ASCII as RFC 2047 encoded words.
namespace cartable::notify::mime {

struct Message {
    std::string from; // « ENT Occitanie <ne-pas-repondre@ent.example.fr> » or an address
    std::string to; // one address
    std::string subject;
    std::string text;
    std::string html; // empty: a text/plain message
    std::string message_id; // « abc@ent.example.fr », without the angle brackets
    long long date { 0 };
};

std::string compose(Message const&);

// « Nom <adresse@domaine> » → « adresse@domaine »; an address alone stays.
std::string address_of(std::string_view mailbox);
// The domain of an address (after its last @).
std::string domain_of(std::string_view address);
// RFC 2047 §4.1 (B encoding): the text as is when it is printable ASCII,
// otherwise encoded words of at most 75 characters, folded, never cutting a
// UTF-8 character.
std::string encoded_words(std::string_view text);
// RFC 2045 §6.8: base64 in lines of 76 characters ending with CRLF.
std::string base64_lines(std::string_view bytes);
// RFC 5322 §3.3: « Mon, 10 Jun 2019 07:53:00 +0000 ».
std::string date_header(long long time);

} // namespace cartable::notify::mime
