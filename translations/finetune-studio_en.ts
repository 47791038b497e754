<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>fts::ui::ClassCountChart</name>
    <message numerus="yes">
        <source>%1: %n image(s)</source>
        <translation>
            <numerusform>%1: %n image</numerusform>
            <numerusform>%1: %n images</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fts::ui::DatasetPanel</name>
    <message numerus="yes">
        <source>%n file(s) cannot be used: see Skipped files.</source>
        <translation>
            <numerusform>%n file cannot be used: see Skipped files.</numerusform>
            <numerusform>%n files cannot be used: see Skipped files.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n image(s)</source>
        <translation>
            <numerusform>%1: %n image</numerusform>
            <numerusform>%1: %n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 images in %n class(es)</source>
        <translation>
            <numerusform>%1 images in %n class</numerusform>
            <numerusform>%1 images in %n classes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fts::ui::GalleryPanel</name>
    <message numerus="yes">
        <source>%1 of %n image(s)</source>
        <translation>
            <numerusform>%1 of %n image</numerusform>
            <numerusform>%1 of %n images</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fts::ui::HealthPanel</name>
    <message numerus="yes">
        <source>%1 (%n file(s))</source>
        <translation>
            <numerusform>%1 (%n file)</numerusform>
            <numerusform>%1 (%n files)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fts::ui::MainWindow</name>
    <message numerus="yes">
        <source>%n file(s) skipped; see the Data tab for the reasons.</source>
        <translation>
            <numerusform>%n file skipped; see the Data tab for the reason.</numerusform>
            <numerusform>%n files skipped; see the Data tab for the reasons.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Training stopped after %n epoch(s); the finished epochs are kept.</source>
        <translation>
            <numerusform>Training stopped after %n epoch; the finished epoch is kept.</numerusform>
            <numerusform>Training stopped after %n epochs; the finished epochs are kept.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) in %1</source>
        <translation>
            <numerusform>%n image in %1</numerusform>
            <numerusform>%n images in %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fts::ui::ModelPanel</name>
    <message numerus="yes">
        <source>Loaded %1 of %2 tensors from %3; the head (%4) is new for %n class(es).</source>
        <translation>
            <numerusform>Loaded %1 of %2 tensors from %3; the head (%4) is new for %n class.</numerusform>
            <numerusform>Loaded %1 of %2 tensors from %3; the head (%4) is new for %n classes.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entries of the file are not part of this model and are not used.</source>
        <translation>
            <numerusform>%n entry of the file is not part of this model and is not used.</numerusform>
            <numerusform>%n entries of the file are not part of this model and are not used.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Training will refuse this file: %n backbone weight(s) are missing from it or have another shape.</source>
        <translation>
            <numerusform>Training will refuse this file: %n backbone weight is missing from it or has another shape.</numerusform>
            <numerusform>Training will refuse this file: %n backbone weights are missing from it or have another shape.</numerusform>
        </translation>
    </message>
</context>
</TS>
