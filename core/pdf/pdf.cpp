// SPDX-License-Identifier: AGPL-3.0-or-later
// Each page is drawn on a Cairo recording surface; `finish` plays them onto
// the PDF surface once their number is known, with « Page 1/2 » below.
#include "core/pdf/pdf.h"
#include <algorithm>
#include <cairo-pdf.h>
#include <cairo.h>
#include <cctype>
#include <pango/pangocairo.h>

namespace cartable::pdf {

namespace {

constexpr double CELL_PADDING = 3;
constexpr double HEADER_TOP = MARGIN - 20;

cairo_status_t append(void* closure, unsigned char const* data, unsigned int length)
{
    static_cast<std::string*>(closure)->append(reinterpret_cast<char const*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

PangoAlignment pango_alignment(Align align)
{
    switch (align) {
    case Align::Center:
        return PANGO_ALIGN_CENTER;
    case Align::Right:
        return PANGO_ALIGN_RIGHT;
    case Align::Left:
        break;
    }
    return PANGO_ALIGN_LEFT;
}

} // namespace

struct Document::State {
    std::string header;
    std::vector<cairo_surface_t*> pages; // finished pages, recorded
    cairo_surface_t* page { nullptr };
    cairo_t* cairo { nullptr };
    PangoContext* pango { nullptr };
    PangoLayout* layout { nullptr };
    // The page's header and number, apart: a page begins while a paragraph's
    // lines are still being laid out.
    PangoLayout* chrome { nullptr };
    double y { 0 };
    double top { 0 };

    State()
    {
        pango = pango_font_map_create_context(pango_cairo_font_map_get_default());
        // As the PDF surface draws: no hinting, metrics unhinted.
        auto* options = cairo_font_options_create();
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
        pango_cairo_context_set_font_options(pango, options);
        cairo_font_options_destroy(options);
        // « Sans 10 » is 10 points: one unit of the page is one point.
        pango_cairo_context_set_resolution(pango, 72);
        layout = pango_layout_new(pango);
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
        chrome = pango_layout_new(pango);
        pango_layout_set_wrap(chrome, PANGO_WRAP_WORD_CHAR);
    }
    State(State const&) = delete;
    State& operator=(State const&) = delete;
    ~State()
    {
        close_page();
        for (auto* recorded : pages)
            cairo_surface_destroy(recorded);
        if (layout != nullptr)
            g_object_unref(layout);
        if (chrome != nullptr)
            g_object_unref(chrome);
        if (pango != nullptr)
            g_object_unref(pango);
    }

    // That layout holding that text at that width (-1: unwrapped).
    static void set_text(
        PangoLayout* into, std::string_view text, char const* font, double width, Align align = Align::Left)
    {
        auto* description = pango_font_description_from_string(font);
        pango_layout_set_font_description(into, description);
        pango_font_description_free(description);
        pango_layout_set_width(into, width < 0 ? -1 : static_cast<int>(width * PANGO_SCALE));
        pango_layout_set_alignment(into, pango_alignment(align));
        pango_layout_set_text(into, text.data(), static_cast<int>(text.size()));
    }
    void set_text(std::string_view text, char const* font, double width, Align align = Align::Left)
    {
        set_text(layout, text, font, width, align);
    }

    static double height_of(PangoLayout* of)
    {
        int height = 0;
        pango_layout_get_size(of, nullptr, &height);
        return static_cast<double>(height) / PANGO_SCALE;
    }
    double layout_height() const { return height_of(layout); }

    void open_page()
    {
        cairo_rectangle_t const extents { 0, 0, PAGE_WIDTH, PAGE_HEIGHT };
        page = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents);
        cairo = cairo_create(page);
        cairo_set_source_rgb(cairo, 0, 0, 0);
        y = HEADER_TOP;
        if (!header.empty()) {
            set_text(chrome, header, "Sans Bold 9", TEXT_WIDTH);
            cairo_move_to(cairo, MARGIN, y);
            pango_cairo_show_layout(cairo, chrome);
            y += height_of(chrome) + 4;
            cairo_set_line_width(cairo, 0.5);
            cairo_move_to(cairo, MARGIN, y);
            cairo_line_to(cairo, PAGE_WIDTH - MARGIN, y);
            cairo_stroke(cairo);
            y += 8;
        }
        top = y;
    }

    void close_page()
    {
        if (cairo != nullptr) {
            cairo_destroy(cairo);
            cairo = nullptr;
        }
        if (page != nullptr) {
            pages.push_back(page);
            page = nullptr;
        }
    }

    void next_page()
    {
        close_page();
        open_page();
    }

    bool fits(double height) const { return y + height <= PAGE_HEIGHT - MARGIN; }
};

Document::Document(std::string header)
    : m_state(std::make_unique<State>())
{
    m_state->header = std::move(header);
    m_state->open_page();
}

Document::~Document() = default;

void Document::paragraph(std::string_view text, char const* font, double indent, double space_before, Align align)
{
    auto& state = *m_state;
    if (text.empty() || state.cairo == nullptr)
        return;
    state.set_text(text, font, TEXT_WIDTH - indent, align);
    state.y += space_before;
    auto* iterator = pango_layout_get_iter(state.layout);
    do {
        auto* line = pango_layout_iter_get_line_readonly(iterator);
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(iterator, nullptr, &logical);
        double const height = static_cast<double>(logical.height) / PANGO_SCALE;
        double const baseline = static_cast<double>(pango_layout_iter_get_baseline(iterator) - logical.y) / PANGO_SCALE;
        if (!state.fits(height))
            state.next_page();
        cairo_move_to(state.cairo, MARGIN + indent + static_cast<double>(logical.x) / PANGO_SCALE, state.y + baseline);
        pango_cairo_show_layout_line(state.cairo, line);
        state.y += height;
    } while (pango_layout_iter_next_line(iterator));
    pango_layout_iter_free(iterator);
}

void Document::table(
    std::vector<Column> const& columns, std::vector<Row> const& rows, char const* font, double space_before)
{
    auto& state = *m_state;
    if (columns.empty() || state.cairo == nullptr)
        return;
    std::string const bold = std::string(font).insert(std::string(font).find_last_of(' '), " Bold");
    // The height of a row: its tallest cell, wrapped to its column.
    auto height_of = [&](Row const& row, bool header) {
        double height = 0;
        for (std::size_t index = 0; index < columns.size(); ++index) {
            auto const& text = header ? columns[index].title : (index < row.size() ? row[index].text : std::string());
            bool const is_bold = header || (index < row.size() && row[index].bold);
            state.set_text(text, is_bold ? bold.c_str() : font, columns[index].width - 2 * CELL_PADDING);
            height = std::max(height, state.layout_height());
        }
        return height + 2 * CELL_PADDING;
    };
    auto draw = [&](Row const& row, bool header, double height) {
        double x = MARGIN;
        cairo_set_line_width(state.cairo, 0.5);
        for (std::size_t index = 0; index < columns.size(); ++index) {
            auto const& column = columns[index];
            if (header) {
                cairo_set_source_rgb(state.cairo, 0.9, 0.92, 0.95);
                cairo_rectangle(state.cairo, x, state.y, column.width, height);
                cairo_fill(state.cairo);
            }
            cairo_set_source_rgb(state.cairo, 0.35, 0.35, 0.35);
            cairo_rectangle(state.cairo, x, state.y, column.width, height);
            cairo_stroke(state.cairo);
            cairo_set_source_rgb(state.cairo, 0, 0, 0);
            auto const& text = header ? column.title : (index < row.size() ? row[index].text : std::string());
            bool const is_bold = header || (index < row.size() && row[index].bold);
            state.set_text(text, is_bold ? bold.c_str() : font, column.width - 2 * CELL_PADDING,
                header ? Align::Left : column.align);
            cairo_move_to(state.cairo, x + CELL_PADDING, state.y + CELL_PADDING);
            pango_cairo_show_layout(state.cairo, state.layout);
            x += column.width;
        }
        state.y += height;
    };
    Row const none;
    double const header_height = height_of(none, true);
    state.y += space_before;
    bool header_drawn = false;
    for (auto const& row : rows) {
        double const height = height_of(row, false);
        if (!state.fits(height) || (!header_drawn && !state.fits(header_height + height))) {
            if (state.y > state.top + space_before + 1)
                state.next_page();
            header_drawn = false;
        }
        if (!header_drawn) {
            draw(none, true, header_height);
            header_drawn = true;
        }
        draw(row, false, height);
    }
    if (!header_drawn)
        draw(none, true, header_height);
}

void Document::rule(double space_before)
{
    auto& state = *m_state;
    if (state.cairo == nullptr)
        return;
    state.y += space_before;
    if (!state.fits(1))
        state.next_page();
    cairo_set_line_width(state.cairo, 0.5);
    cairo_move_to(state.cairo, MARGIN, state.y);
    cairo_line_to(state.cairo, PAGE_WIDTH - MARGIN, state.y);
    cairo_stroke(state.cairo);
}

void Document::break_page()
{
    auto& state = *m_state;
    if (state.cairo != nullptr && state.y > state.top + 1)
        state.next_page();
}

std::string Document::finish()
{
    auto& state = *m_state;
    state.close_page();
    std::string output;
    auto* surface = cairo_pdf_surface_create_for_stream(&append, &output, PAGE_WIDTH, PAGE_HEIGHT);
    auto* cairo = cairo_create(surface);
    auto const count = state.pages.size();
    for (std::size_t index = 0; index < count; ++index) {
        cairo_set_source_surface(cairo, state.pages[index], 0, 0);
        cairo_paint(cairo);
        auto const number = "Page " + std::to_string(index + 1) + "/" + std::to_string(count);
        State::set_text(state.chrome, number, "Sans 8", -1);
        int width = 0;
        pango_layout_get_size(state.chrome, &width, nullptr);
        cairo_set_source_rgb(cairo, 0, 0, 0);
        cairo_move_to(cairo, PAGE_WIDTH - MARGIN - static_cast<double>(width) / PANGO_SCALE, PAGE_HEIGHT - MARGIN + 15);
        pango_cairo_show_layout(cairo, state.chrome);
        cairo_show_page(cairo);
    }
    cairo_destroy(cairo);
    cairo_surface_finish(surface);
    cairo_surface_destroy(surface);
    for (auto* recorded : state.pages)
        cairo_surface_destroy(recorded);
    state.pages.clear();
    return output;
}

std::string attachment_disposition(std::string_view file_name)
{
    std::string ascii;
    for (char const c : file_name)
        ascii += (static_cast<unsigned char>(c) < 0x80 && c != '"' && c != '\\' && c >= 0x20) ? c : '_';
    std::string encoded;
    static constexpr char const* HEX = "0123456789ABCDEF";
    for (unsigned char const c : file_name) {
        if (std::isalnum(c) != 0 || c == '.' || c == '-' || c == '_') {
            encoded += static_cast<char>(c);
        } else {
            encoded += '%';
            encoded += HEX[c >> 4];
            encoded += HEX[c & 15];
        }
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

} // namespace cartable::pdf
