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
    <name>fts::ui::DatasetEdits</name>
    <message numerus="yes">
        <source>Relabel %n image(s) as %1</source>
        <translation>
            <numerusform>%1: %n image&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%1: %n image&lt;/numerusform&gt;
            &lt;numerusform&gt;%1: %n images&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;fts::ui::DatasetEdits&lt;/name&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;Relabel %n image as %1</numerusform>
            <numerusform>%1: %n images&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%1: %n image&lt;/numerusform&gt;
            &lt;numerusform&gt;%1: %n images&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;fts::ui::DatasetEdits&lt;/name&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;Relabel %n images as %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exclude %n image(s)</source>
        <translation>
            <numerusform>Exclude %n image</numerusform>
            <numerusform>Exclude %n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Revert %n image(s)</source>
        <translation>
            <numerusform>Revert %n image</numerusform>
            <numerusform>Revert %n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Discard %n change(s)</source>
        <translation>
            <numerusform>Discard %n change</numerusform>
            <numerusform>Discard %n changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) will be moved in %1:</source>
        <translation>
            <numerusform>%n file will be moved in %1:</numerusform>
            <numerusform>%n files will be moved in %1:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n relabelled: moved into another class folder</source>
        <translation>
            <numerusform>%n relabelled: moved into another class folder</numerusform>
            <numerusform>%n relabelled: moved into another class folder</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n excluded: moved out of the dataset into %1</source>
        <translation>
            <numerusform>%n excluded: moved out of the dataset into %1</numerusform>
            <numerusform>%n excluded: moved out of the dataset into %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Move %n file(s)</source>
        <translation>
            <numerusform>Move %n file</numerusform>
            <numerusform>Move %n files</numerusform>
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
    <message numerus="yes">
        <source>%n change(s) pending</source>
        <translation>
            <numerusform>%n file cannot be used: see Skipped files.&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n file cannot be used: see Skipped files.&lt;/numerusform&gt;
            &lt;numerusform&gt;%n files cannot be used: see Skipped files.&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%1: %n image&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%1: %n image&lt;/numerusform&gt;
            &lt;numerusform&gt;%1: %n images&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%1 images in %n class(es)&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%1 images in %n class&lt;/numerusform&gt;
            &lt;numerusform&gt;%1 images in %n classes&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;fts::ui::GalleryPanel&lt;/name&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%1 of %n image&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%1 of %n image&lt;/numerusform&gt;
            &lt;numerusform&gt;%1 of %n images&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n change pending</numerusform>
            <numerusform>%n files cannot be used: see Skipped files.&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n file cannot be used: see Skipped files.&lt;/numerusform&gt;
            &lt;numerusform&gt;%n files cannot be used: see Skipped files.&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%1: %n images&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%1: %n image&lt;/numerusform&gt;
            &lt;numerusform&gt;%1: %n images&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%1 images in %n class(es)&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%1 images in %n class&lt;/numerusform&gt;
            &lt;numerusform&gt;%1 images in %n classes&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;fts::ui::GalleryPanel&lt;/name&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%1 of %n images&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%1 of %n image&lt;/numerusform&gt;
            &lt;numerusform&gt;%1 of %n images&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n changes pending</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Moved %n file(s).</source>
        <translation>
            <numerusform>Moved %n file.</numerusform>
            <numerusform>Moved %n files.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) could not be moved and stay where they were (see the details).</source>
        <translation>
            <numerusform>%n file could not be moved and stays where it was (see the details).</numerusform>
            <numerusform>%n files could not be moved and stay where they were (see the details).</numerusform>
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
<context>
    <name>fts::ui::RunHistoryPanel</name>
    <message numerus="yes">
        <source>%n run folder(s) could not be read:</source>
        <translation>
            <numerusform>%1 (%n file)&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%1 (%n file)&lt;/numerusform&gt;
            &lt;numerusform&gt;%1 (%n files)&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;fts::ui::MainWindow&lt;/name&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n file skipped; see the Data tab for the reasons.&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n file skipped; see the Data tab for the reason.&lt;/numerusform&gt;
            &lt;numerusform&gt;%n files skipped; see the Data tab for the reasons.&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;Training stopped after %n epoch; the finished epochs are kept.&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;Training stopped after %n epoch; the finished epoch is kept.&lt;/numerusform&gt;
            &lt;numerusform&gt;Training stopped after %n epochs; the finished epochs are kept.&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n image in %1&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n image in %1&lt;/numerusform&gt;
            &lt;numerusform&gt;%n images in %1&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;fts::ui::ModelPanel&lt;/name&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;Loaded %1 of %2 tensors from %3; the head (%4) is new for %n class(es).&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;Loaded %1 of %2 tensors from %3; the head (%4) is new for %n class.&lt;/numerusform&gt;
            &lt;numerusform&gt;Loaded %1 of %2 tensors from %3; the head (%4) is new for %n classes.&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n entries of the file are not part of this model and are not used.&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n entry of the file is not part of this model and is not used.&lt;/numerusform&gt;
            &lt;numerusform&gt;%n entries of the file are not part of this model and are not used.&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;Training will refuse this file: %n backbone weight are missing from it or have another shape.&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;Training will refuse this file: %n backbone weight is missing from it or has another shape.&lt;/numerusform&gt;
            &lt;numerusform&gt;Training will refuse this file: %n backbone weights are missing from it or have another shape.&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;fts::ui::RunHistoryPanel&lt;/name&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n run folder could not be read:</numerusform>
            <numerusform>%1 (%n files)&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%1 (%n file)&lt;/numerusform&gt;
            &lt;numerusform&gt;%1 (%n files)&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;fts::ui::MainWindow&lt;/name&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n files skipped; see the Data tab for the reasons.&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n file skipped; see the Data tab for the reason.&lt;/numerusform&gt;
            &lt;numerusform&gt;%n files skipped; see the Data tab for the reasons.&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;Training stopped after %n epochs; the finished epochs are kept.&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;Training stopped after %n epoch; the finished epoch is kept.&lt;/numerusform&gt;
            &lt;numerusform&gt;Training stopped after %n epochs; the finished epochs are kept.&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n images in %1&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n image in %1&lt;/numerusform&gt;
            &lt;numerusform&gt;%n images in %1&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;fts::ui::ModelPanel&lt;/name&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;Loaded %1 of %2 tensors from %3; the head (%4) is new for %n class(es).&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;Loaded %1 of %2 tensors from %3; the head (%4) is new for %n class.&lt;/numerusform&gt;
            &lt;numerusform&gt;Loaded %1 of %2 tensors from %3; the head (%4) is new for %n classes.&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n entries of the file are not part of this model and are not used.&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;%n entry of the file is not part of this model and is not used.&lt;/numerusform&gt;
            &lt;numerusform&gt;%n entries of the file are not part of this model and are not used.&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;Training will refuse this file: %n backbone weights are missing from it or have another shape.&lt;/source&gt;
        &lt;translation&gt;
            &lt;numerusform&gt;Training will refuse this file: %n backbone weight is missing from it or has another shape.&lt;/numerusform&gt;
            &lt;numerusform&gt;Training will refuse this file: %n backbone weights are missing from it or have another shape.&lt;/numerusform&gt;
        &lt;/translation&gt;
    &lt;/message&gt;
&lt;/context&gt;
&lt;context&gt;
    &lt;name&gt;fts::ui::RunHistoryPanel&lt;/name&gt;
    &lt;message numerus="yes"&gt;
        &lt;source&gt;%n run folders could not be read:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more.</source>
        <translation>
            <numerusform>… and %n more.</numerusform>
            <numerusform>… and %n more.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Runs folder: %1 (%n run(s))</source>
        <translation>
            <numerusform>Runs folder: %1 (%n run)</numerusform>
            <numerusform>Runs folder: %1 (%n runs)</numerusform>
        </translation>
    </message>
</context>
</TS>
