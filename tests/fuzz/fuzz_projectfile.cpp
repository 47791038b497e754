// libFuzzer harness: the project-file reader (ui/projectfile.*). Any input
// must load or be refused with a message; what loads must save and load
// again to the same settings.

#include "fuzzinput.h"
#include "projectfile.h"

#include <QString>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace fz = fts::fuzz;
    const auto file = fz::scratchFolder() / "fuzz.ftsproj";
    fz::writeFile(file, std::string(reinterpret_cast<const char*>(data), size));
    const QString name = QString::fromStdString(file.string());
    QString error;
    const auto project = fts::ui::loadProject(name, &error);
    if (!project) {
        if (error.isEmpty()) __builtin_trap();  // a refusal always says why
        return 0;
    }
    const auto copy = fz::scratchFolder() / "copy.ftsproj";
    const QString copyName = QString::fromStdString(copy.string());
    if (!fts::ui::saveProject(copyName, *project, &error)) __builtin_trap();
    const auto again = fts::ui::loadProject(copyName, &error);
    if (!again || again->arch != project->arch || again->freezeSpec != project->freezeSpec ||
        again->settings.epochs != project->settings.epochs ||
        again->settings.seed != project->settings.seed ||
        again->settings.optimizer != project->settings.optimizer)
        __builtin_trap();
    return 0;
}
