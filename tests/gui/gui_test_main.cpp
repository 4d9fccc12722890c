// One QApplication for every GUI test, on the offscreen platform.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <QApplication>

#include <cstdlib>

int main(int argc, char** argv) {
    setenv("QT_QPA_PLATFORM", "offscreen", 0);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("FLOP Ledger tests"));
    QApplication::setApplicationName(QStringLiteral("flopledger-gui-tests"));
    return Catch::Session().run(argc, argv);
}
