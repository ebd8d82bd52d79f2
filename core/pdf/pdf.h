// SPDX-License-Identifier: AGPL-3.0-or-later
// A4 documents as PDF, written with Pango and Cairo: paragraphs in a font,
// tables with column widths, borders, a bold header row repeated on each
// page and wrapping cells, a header line on top of every page and
// « Page 1/2 » at the bottom. The lesson book's print and the bulletins use
// it (docs/bulletins.md).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cartable::pdf {

// A4 portrait in points, and the margins.
inline constexpr double PAGE_WIDTH = 595;
inline constexpr double PAGE_HEIGHT = 842;
inline constexpr double MARGIN = 50;
inline constexpr double TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN;

enum class Align { Left, Center, Right };

struct Column {
    std::string title; // the header row's cell
    double width { 0 }; // points; the widths should add up to TEXT_WIDTH
    Align align { Align::Left };
};

// One cell: its text (wrapped to the column) and whether it is bold.
struct Cell {
    std::string text;
    bool bold { false };
};
using Row = std::vector<Cell>;

class Document {
public:
    // `header`: the small bold line on top of every page (« Bulletin du
    // Trimestre 1 – Louis CHAMSON »); empty for none.
    explicit Document(std::string header);
    Document(Document const&) = delete;
    Document& operator=(Document const&) = delete;
    ~Document();

    // A paragraph in that font (« Sans Bold 13 »), indented, with space before.
    void paragraph(
        std::string_view text, char const* font, double indent = 0, double space_before = 4, Align align = Align::Left);
    // A table: the header row in bold on a grey ground, repeated at the top
    // of each page the rows run onto; a row is never cut across two pages
    // (unless it is taller than a page).
    void table(std::vector<Column> const& columns, std::vector<Row> const& rows, char const* font = "Sans 9",
        double space_before = 8);
    // A horizontal rule across the text width.
    void rule(double space_before = 6);
    // A new page unless the current one is still empty.
    void break_page();
    // The PDF's bytes; the document cannot be written to afterwards.
    std::string finish();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// « attachment; filename="Bulletin Louis CHAMSON.pdf"; filename*=UTF-8''… »:
// an ASCII fallback name and the UTF-8 one (RFC 6266).
std::string attachment_disposition(std::string_view file_name);

} // namespace cartable::pdf
