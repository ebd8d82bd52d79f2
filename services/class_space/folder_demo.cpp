// SPDX-License-Identifier: AGPL-3.0-or-later
// The demo school's shared folder in TPRO: « Stage en entreprise », with
// the convention Samuel BEAUMONT put there (a small but valid PDF).
#include "core/context.h"
#include "core/identity/tokens.h"
#include "services/class_space/class_space.h"
#include "services/class_space/folder_store.h"
#include <fstream>

namespace cartable::class_space {

namespace {

// A one-page PDF 1.4 with a few lines of Helvetica, offsets computed.
std::string small_pdf(std::vector<std::string> const& lines)
{
    std::string text = "BT /F1 14 Tf 60 780 Td 18 TL";
    for (auto const& line : lines)
        text.append(" (").append(line).append(") '");
    text += " ET";
    std::vector<std::string> objects {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        std::string("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R ")
            .append("/Resources << /Font << /F1 5 0 R >> >> >>"),
        "<< /Length " + std::to_string(text.size()) + " >>\nstream\n" + text + "\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    };
    std::string pdf = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (std::size_t index = 0; index < objects.size(); ++index) {
        offsets.push_back(pdf.size());
        pdf.append(std::to_string(index + 1)).append(" 0 obj\n").append(objects[index]).append("\nendobj\n");
    }
    auto xref = pdf.size();
    pdf.append("xref\n0 ").append(std::to_string(objects.size() + 1)).append("\n0000000000 65535 f \n");
    for (auto offset : offsets) {
        auto number = std::to_string(offset);
        pdf.append(std::string(10 - number.size(), '0')).append(number).append(" 00000 n \n");
    }
    pdf.append("trailer\n<< /Size ").append(std::to_string(objects.size() + 1)).append(" /Root 1 0 R >>\n");
    pdf.append("startxref\n").append(std::to_string(xref)).append("\n%%EOF\n");
    return pdf;
}

} // namespace

ErrorOr<void> add_demo_folders(soci::session& session, Services const& services, long long now)
{
    long long space = 0;
    long long teacher = 0;
    session << "SELECT s.id FROM class_space s JOIN identity_class c ON c.id = s.class_id WHERE c.name = 'TPRO'",
        soci::into(space);
    session << "SELECT id FROM identity_user WHERE login = 'samuel.beaumont'", soci::into(teacher);
    long long items = 0;
    session << "SELECT COUNT(*) FROM class_space_item WHERE space_id = :space", soci::use(space), soci::into(items);
    if (space == 0 || teacher == 0 || items > 0)
        return {};
    auto directory = folders::files_directory(services.config);
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error)
        return Error::internal("cannot create the shared files' directory: " + error.message());
    std::string folder_name = "Stage en entreprise";
    std::string description = "Convention, attestation et consignes du stage de janvier : à lire avant de partir.";
    std::string kind = folders::FOLDER;
    session << "INSERT INTO class_space_item (space_id, kind, name, description, added_by, added_at) VALUES (:space, "
               ":kind, :name, :description, :teacher, :now)",
        soci::use(space), soci::use(kind), soci::use(folder_name), soci::use(description), soci::use(teacher),
        soci::use(now);
    long long folder = 0;
    session << "SELECT id FROM class_space_item WHERE space_id = :space AND name = :name", soci::use(space),
        soci::use(folder_name), soci::into(folder);
    auto pdf = small_pdf({ "Convention de stage 2026 - Classe TPRO", "Cite scolaire Andre Chamson, Le Vigan",
        "Enseignant referent : Samuel BEAUMONT (Economie-gestion)", "Periode : du 12 janvier au 6 fevrier 2026",
        "A faire signer par l'entreprise d'accueil." });
    auto stored = identity::random_token();
    {
        std::ofstream output(directory / stored, std::ios::binary);
        output << pdf;
        if (!output)
            return Error::internal("cannot write the demo convention");
    }
    std::string file_name = "Convention de stage 2026.pdf";
    std::string file_description = "À imprimer en trois exemplaires et à rapporter signée.";
    std::string file_kind = folders::FILE;
    std::string type = "application/pdf";
    auto size = static_cast<long long>(pdf.size());
    session << "INSERT INTO class_space_item (space_id, parent_id, kind, name, description, size, content_type, "
               "stored_name, added_by, added_at) VALUES (:space, :parent, :kind, :name, :description, :size, :type, "
               ":stored, :teacher, :now)",
        soci::use(space), soci::use(folder), soci::use(file_kind), soci::use(file_name), soci::use(file_description),
        soci::use(size), soci::use(type), soci::use(stored), soci::use(teacher), soci::use(now);
    return {};
}

} // namespace cartable::class_space
