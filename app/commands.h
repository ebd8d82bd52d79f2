// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/config/config.h"
#include <map>
#include <string>
#include <vector>

namespace cartable::app {

// A command line cut into its command words, its --options and their values.
struct CommandLine {
    std::vector<std::string> words; // "user", "add"
    std::map<std::string, std::string> options; // "login" → "andre.chamson"; flags → "true"
    bool has(std::string const& name) const { return options.contains(name); }
    std::string get(std::string const& name) const
    {
        auto found = options.find(name);
        return found == options.end() ? std::string() : found->second;
    }
};

int run_serve(Config const&, CommandLine const&);
int run_migrate(Config const&);
int run_demo(Config const&);
int run_user(Config const&, CommandLine const&);
int run_routes(Config const&);
int run_import(Config const&, CommandLine const&);

} // namespace cartable::app
