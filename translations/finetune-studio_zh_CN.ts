<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ProjectFile</name>
    <message>
        <source>a list</source>
        <translation>一个列表</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>一个对象</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>空值</translation>
    </message>
    <message>
        <source>an object ({ ... })</source>
        <translation>一个对象（{ ... }）</translation>
    </message>
    <message>
        <source>text in quotes</source>
        <translation>带引号的文本</translation>
    </message>
    <message>
        <source>text without NUL characters</source>
        <translation>不含 NUL 字符的文本</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is %2, which this version does not know; it must be one of: %3</source>
        <translation>“%1”的值为 %2，当前版本无法识别；它必须是以下之一：%3</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is %2, which is not a device; use auto, cpu, cuda or cuda:N</source>
        <translation>“%1”的值为 %2，不是有效的设备；请使用 auto、cpu、cuda 或 cuda:N</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true 或 false</translation>
    </message>
    <message>
        <source>a whole number from %L1 to %L2</source>
        <translation>%L1 到 %L2 之间的整数</translation>
    </message>
    <message>
        <source>a number from %L1 to %L2</source>
        <translation>%L1 到 %L2 之间的数</translation>
    </message>
    <message>
        <source>a whole number from 0 to 18446744073709551615, in quotes</source>
        <translation>0 到 18446744073709551615 之间的整数，并用引号括起</translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be %2, but it is %3</source>
        <translation>“%1”必须是%2，但实际为 %3</translation>
    </message>
    <message>
        <source>it is not a Finetune Studio project (its &quot;format&quot; is %1)</source>
        <translation>它不是 Finetune Studio 项目（其“format”为 %1）</translation>
    </message>
    <message>
        <source>it has no &quot;version&quot;, so it is not a Finetune Studio project</source>
        <translation>它没有“version”字段，因此不是 Finetune Studio 项目</translation>
    </message>
    <message>
        <source>&quot;version&quot; must be a whole number such as 1, but it is %1</source>
        <translation>“version”必须是整数（如 1），但实际为 %1</translation>
    </message>
    <message>
        <source>it was saved by a newer Finetune Studio (project format %1; this version reads format %2 and older). Update Finetune Studio to open it</source>
        <translation>它由更新版本的 Finetune Studio 保存（项目格式 %1；当前版本只能读取格式 %2 及更早的格式）。请更新 Finetune Studio 后再打开</translation>
    </message>
    <message>
        <source>Finetune Studio projects (*.ftsproj)</source>
        <translation>Finetune Studio 项目 (*.ftsproj)</translation>
    </message>
    <message>
        <source>Check that the folder exists and that you may write to it, or save elsewhere.</source>
        <translation>请检查该文件夹是否存在以及你是否有写入权限，或者保存到其他位置。</translation>
    </message>
    <message>
        <source>Cannot save the project: no file name was given.</source>
        <translation>无法保存项目：未指定文件名。</translation>
    </message>
    <message>
        <source>Cannot save the project &apos;%1&apos;: %2.</source>
        <translation>无法保存项目“%1”：%2。</translation>
    </message>
    <message>
        <source>Cannot save the project &apos;%1&apos;: %2. %3</source>
        <translation>无法保存项目“%1”：%2。%3</translation>
    </message>
    <message>
        <source>Fix it in a text editor, or set the project up again and save it.</source>
        <translation>请用文本编辑器修正它，或重新设置项目并保存。</translation>
    </message>
    <message>
        <source>Cannot open a project: no file name was given.</source>
        <translation>无法打开项目：未指定文件名。</translation>
    </message>
    <message>
        <source>The project file &apos;%1&apos; does not exist. Check the name and the folder.</source>
        <translation>项目文件“%1”不存在。请检查文件名和文件夹。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a folder, not a project file. Choose a .ftsproj file.</source>
        <translation>“%1”是文件夹，不是项目文件。请选择一个 .ftsproj 文件。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is too large (%L2 bytes) to be a project file. Choose a .ftsproj file.</source>
        <translation>“%1”太大（%L2 字节），不可能是项目文件。请选择一个 .ftsproj 文件。</translation>
    </message>
    <message>
        <source>Cannot read the project file &apos;%1&apos;: %2. Check that you may read it.</source>
        <translation>无法读取项目文件“%1”：%2。请检查你是否有读取权限。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is too large to be a project file. Choose a .ftsproj file.</source>
        <translation>“%1”太大，不可能是项目文件。请选择一个 .ftsproj 文件。</translation>
    </message>
    <message>
        <source>The project file &apos;%1&apos; is empty. %2</source>
        <translation>项目文件“%1”为空。%2</translation>
    </message>
    <message>
        <source>The project file &apos;%1&apos; is not valid JSON: %2 at byte %3. %4</source>
        <translation>项目文件“%1”不是有效的 JSON：%2（位于第 %3 字节）。%4</translation>
    </message>
    <message>
        <source>The project file &apos;%1&apos; does not hold a project (a JSON object { ... } was expected at the top). %2</source>
        <translation>项目文件“%1”不包含项目（顶层应为 JSON 对象 { ... }）。%2</translation>
    </message>
    <message>
        <source>Cannot open the project &apos;%1&apos;: %2. %3</source>
        <translation>无法打开项目“%1”：%2。%3</translation>
    </message>
</context>
<context>
    <name>fts::ui::AboutDialog</name>
    <message>
        <source>the windows, widgets and threads of the app</source>
        <translation>应用的窗口、控件和线程</translation>
    </message>
    <message>
        <source>the loss and accuracy charts</source>
        <translation>损失和准确率图表</translation>
    </message>
    <message>
        <source>the neural networks and their training</source>
        <translation>神经网络及其训练</translation>
    </message>
    <message>
        <source>decoding and resizing images</source>
        <translation>图像解码和缩放</translation>
    </message>
    <message>
        <source>reading and writing JSON files</source>
        <translation>读写 JSON 文件</translation>
    </message>
    <message>
        <source>the command line of finetune-cli</source>
        <translation>finetune-cli 的命令行</translation>
    </message>
    <message>
        <source>reading gzipped IDX files</source>
        <translation>读取 gzip 压缩的 IDX 文件</translation>
    </message>
    <message>
        <source>the images of the bundled demo (a subset)</source>
        <translation>内置演示的图像（子集）</translation>
    </message>
    <message>
        <source>About Finetune Studio</source>
        <translation>关于 Finetune Studio</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Finetune Studio&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Finetune Studio&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <source>Interactive fine-tuning of pretrained image classifiers: on your own computer, offline, with live charts of what the model learns.</source>
        <translation>交互式微调预训练图像分类器：在你自己的电脑上离线运行，实时图表展示模型学到了什么。</translation>
    </message>
    <message>
        <source>Built with Qt %1, running on Qt %2.</source>
        <translation>使用 Qt %1 构建，运行于 Qt %2。</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>Third-party software</source>
        <translation>第三方软件</translation>
    </message>
    <message>
        <source>Licence texts</source>
        <translation>许可证全文</translation>
    </message>
    <message>
        <source>&lt;p&gt;Finetune Studio is free software: you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation, either version 3 of the License, or (at your option) any later version (GPL-3.0-or-later).&lt;/p&gt;</source>
        <translation>&lt;p&gt;Finetune Studio 是自由软件：你可以依据自由软件基金会发布的 GNU 通用公共许可证第 3 版或（由你选择）任何更高版本（GPL-3.0-or-later）的条款再分发和/或修改它。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;It is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See the GNU General Public License for more details.&lt;/p&gt;</source>
        <translation>&lt;p&gt;发布本软件是希望它能有用，但不提供任何担保；甚至不包括对适销性或特定用途适用性的默示担保。详情请参阅 GNU 通用公共许可证。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The full licence: &lt;a href=&quot;%1&quot;&gt;%1&lt;/a&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;许可证全文：&lt;a href=&quot;%1&quot;&gt;%1&lt;/a&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Finetune Studio is built on the following software and data. Thank you to everyone who made them.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Finetune Studio 基于以下软件和数据构建。感谢所有为此付出的人。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Licence: %1</source>
        <translation>许可证：%1</translation>
    </message>
    <message>
        <source>Copyright © %1</source>
        <translation>版权所有 © %1</translation>
    </message>
    <message>
        <source>&lt;p&gt;The Licence texts tab holds the full texts of these licences.&lt;/p&gt;</source>
        <translation>&lt;p&gt;“许可证全文”标签页包含这些许可证的完整文本。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The licence texts are also installed in &lt;a href=&quot;%1&quot;&gt;%2&lt;/a&gt;.&lt;/p&gt;</source>
        <translation>&lt;p&gt;许可证全文也安装在 &lt;a href=&quot;%1&quot;&gt;%2&lt;/a&gt;。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;In the source code the licence texts are in packaging/THIRD-PARTY-NOTICES.md and packaging/licenses/.&lt;/p&gt;</source>
        <translation>&lt;p&gt;在源代码中，许可证全文位于 packaging/THIRD-PARTY-NOTICES.md 和 packaging/licenses/。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>fts::ui::ChartPanel</name>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Accuracy (%)</source>
        <translation>准确率（%）</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Batch, smoothed</source>
        <translation>批次（平滑）</translation>
    </message>
    <message>
        <source>Training (epoch)</source>
        <translation>训练（每轮）</translation>
    </message>
    <message>
        <source>Validation (epoch)</source>
        <translation>验证（每轮）</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Loss of each batch (faint), its moving average and the mean loss of each epoch: lower is better.</source>
        <translation>每个批次的损失（浅色）、其滑动平均以及每轮的平均损失：越低越好。</translation>
    </message>
    <message>
        <source>Share of images classified correctly after each epoch: higher is better.</source>
        <translation>每轮结束后分类正确的图像比例：越高越好。</translation>
    </message>
    <message>
        <source>Learning rate the optimizer used for each batch.</source>
        <translation>优化器在每个批次使用的学习率。</translation>
    </message>
</context>
<context>
    <name>fts::ui::ClassCountChart</name>
    <message>
        <source>How many images each class has. Very uneven bars mean the model sees some classes far more often than others.</source>
        <translation>每个类别有多少张图像。柱子高低相差很大，说明模型见到某些类别的次数远多于其他类别。</translation>
    </message>
    <message>
        <source>No dataset loaded</source>
        <translation>尚未加载数据集</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n image(s)</source>
        <translation>
            <numerusform>%1：%n 张图像</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fts::ui::ClassMetricsModel</name>
    <message>
        <source>Macro average</source>
        <translation>宏平均</translation>
    </message>
    <message>
        <source>The plain mean over all classes, so that small classes count as much as large ones.</source>
        <translation>所有类别的简单平均，小类别与大类别同等重要。</translation>
    </message>
    <message>
        <source>Of the images the model called &apos;%1&apos;, this share really are &apos;%1&apos;.</source>
        <translation>在模型判为“%1”的图像中，真正属于“%1”的比例。</translation>
    </message>
    <message>
        <source>There are no &apos;%1&apos; images in the validation data, so recall is 0.</source>
        <translation>验证数据中没有“%1”图像，因此召回率为 0。</translation>
    </message>
    <message>
        <source>Of the &apos;%1&apos; images, this share was recognised as &apos;%1&apos;.</source>
        <translation>在“%1”图像中，被识别为“%1”的比例。</translation>
    </message>
    <message>
        <source>The harmonic mean of precision and recall for &apos;%1&apos;: high only when both are high.</source>
        <translation>“%1”的精确率与召回率的调和平均：只有两者都高时才高。</translation>
    </message>
    <message>
        <source>Validation images whose true class is &apos;%1&apos;.</source>
        <translation>真实类别为“%1”的验证图像数量。</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>The class the row is about.</source>
        <translation>该行对应的类别。</translation>
    </message>
    <message>
        <source>Precision: of the images predicted as this class, the share that really belong to it (0 when the class was never predicted).</source>
        <translation>精确率：在预测为该类别的图像中，真正属于该类别的比例（从未预测为该类别时为 0）。</translation>
    </message>
    <message>
        <source>Recall: of the images of this class, the share the model recognised (0 when there are none).</source>
        <translation>召回率：在该类别的图像中，被模型正确识别的比例（没有该类图像时为 0）。</translation>
    </message>
    <message>
        <source>F1: the harmonic mean of precision and recall.</source>
        <translation>F1：精确率与召回率的调和平均。</translation>
    </message>
    <message>
        <source>Support: how many validation images belong to this class.</source>
        <translation>样本数：属于该类别的验证图像数量。</translation>
    </message>
</context>
<context>
    <name>fts::ui::ConfusionModel</name>
    <message>
        <source>There are no &apos;%1&apos; images in the validation data.</source>
        <translation>验证数据中没有“%1”图像。</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>%L1 of %L2 &apos;%3&apos; images (%4) were predicted correctly.</source>
        <translation>%L2 张“%3”图像中有 %L1 张（%4）预测正确。</translation>
    </message>
    <message>
        <source>%L1 of %L2 &apos;%3&apos; images (%4) were predicted as &apos;%5&apos;.</source>
        <translation>%L2 张“%3”图像中有 %L1 张（%4）被预测为“%5”。</translation>
    </message>
    <message>
        <source>Click to show these images in the gallery.</source>
        <translation>点击可在预测图库中查看这些图像。</translation>
    </message>
    <message>
        <source>True class &apos;%1&apos;: %L2 validation images. This row shows which classes the model predicted for them.</source>
        <translation>真实类别“%1”：%L2 张验证图像。这一行显示模型把它们预测成了哪些类别。</translation>
    </message>
    <message>
        <source>Predicted class &apos;%1&apos;: the model gave this answer for %L2 images. This column shows their true classes.</source>
        <translation>预测类别“%1”：模型对 %L2 张图像给出了这个答案。这一列显示它们的真实类别。</translation>
    </message>
</context>
<context>
    <name>fts::ui::ConfusionPanel</name>
    <message>
        <source>The share of validation images whose predicted class is their true class.</source>
        <translation>预测类别与真实类别一致的验证图像比例。</translation>
    </message>
    <message>
        <source>rows: true class · columns: predicted class · colour: share of the row</source>
        <translation>行：真实类别 · 列：预测类别 · 颜色：占该行的比例</translation>
    </message>
    <message>
        <source>Each row holds the validation images of one class; the column says what the model predicted. Green cells on the diagonal are right answers, red cells are mistakes. Click a cell to see its images.</source>
        <translation>每一行是某个类别的验证图像，每一列表示模型的预测结果。对角线上的绿色单元格是正确答案，红色单元格是错误。点击单元格可查看其中的图像。</translation>
    </message>
    <message>
        <source>Click a cell to show its images in the gallery.</source>
        <translation>点击单元格可在预测图库中查看其中的图像。</translation>
    </message>
    <message>
        <source>No validation results yet: they appear here after the first epoch.</source>
        <translation>尚无验证结果：第一轮结束后会显示在这里。</translation>
    </message>
    <message>
        <source>Validation accuracy: %1% (%L2 of %L3 images correct)</source>
        <translation>验证准确率：%1%（%L3 张图像中 %L2 张正确）</translation>
    </message>
</context>
<context>
    <name>fts::ui::DatasetEdits</name>
    <message numerus="yes">
        <source>Relabel %n image(s) as %1</source>
        <translation>
            <numerusform>将 %n 张图像重新标注为 %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exclude %n image(s)</source>
        <translation>
            <numerusform>排除 %n 张图像</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Revert %n image(s)</source>
        <translation>
            <numerusform>还原 %n 张图像</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Discard %n change(s)</source>
        <translation>
            <numerusform>放弃 %n 项更改</numerusform>
        </translation>
    </message>
    <message>
        <source>excluded</source>
        <comment>an image that will be moved out of the dataset</comment>
        <translation>已排除</translation>
    </message>
    <message>
        <source>→ %1</source>
        <comment>relabelled as</comment>
        <translation>→ %1</translation>
    </message>
    <message>
        <source>Cannot apply the changes</source>
        <translation>无法应用更改</translation>
    </message>
    <message>
        <source>There is nothing to move.</source>
        <translation>没有需要移动的文件。</translation>
    </message>
    <message>
        <source>Apply changes to the dataset folder</source>
        <translation>将更改应用到数据集文件夹</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) will be moved in %1:</source>
        <translation>
            <numerusform>将在 %1 中移动 %n 个文件：</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n relabelled: moved into another class folder</source>
        <translation>
            <numerusform>%n 个重新标注：移入另一个类别文件夹</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n excluded: moved out of the dataset into %1</source>
        <translation>
            <numerusform>%n 个排除：移出数据集，放入 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing is deleted. The list of moves is kept in %1, so that they can be undone by hand.</source>
        <translation>不会删除任何文件。移动记录保存在 %1 中，以便手动撤销。</translation>
    </message>
    <message>
        <source>From</source>
        <translation>原位置</translation>
    </message>
    <message>
        <source>To</source>
        <translation>新位置</translation>
    </message>
    <message numerus="yes">
        <source>Move %n file(s)</source>
        <translation>
            <numerusform>移动 %n 个文件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fts::ui::DatasetPanel</name>
    <message>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>Pick a folder with one subfolder of images per class (or a CIFAR-10 folder).</source>
        <translation>选择一个文件夹，其中每个类别的图像放在一个子文件夹里（或选择 CIFAR-10 文件夹）。</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Pick an IDX images file (like MNIST) or a CIFAR-10 .bin batch file.</source>
        <translation>选择一个 IDX 图像文件（如 MNIST）或 CIFAR-10 的 .bin 批次文件。</translation>
    </message>
    <message>
        <source>Separate validation set</source>
        <translation>单独的验证集</translation>
    </message>
    <message>
        <source>Off: a part of the training data is held back to check the model. On: the model is checked on images you choose.</source>
        <translation>关闭：从训练数据中留出一部分来检验模型。开启：用你选择的图像来检验模型。</translation>
    </message>
    <message>
        <source>Choose validation data…</source>
        <translation>选择验证数据…</translation>
    </message>
    <message>
        <source>Pick the folder or file with the validation images; it needs the same classes.</source>
        <translation>选择包含验证图像的文件夹或文件；其类别必须与训练数据相同。</translation>
    </message>
    <message>
        <source>As training sees them</source>
        <translation>训练时的样子</translation>
    </message>
    <message>
        <source>As validation sees them</source>
        <translation>验证时的样子</translation>
    </message>
    <message>
        <source>Original images</source>
        <translation>原始图像</translation>
    </message>
    <message>
        <source>Which version of each image to show: after the training augmentation, after the validation crop, or unchanged.</source>
        <translation>选择显示图像的哪个版本：经过训练数据增强后、经过验证裁剪后，或未经改动的原图。</translation>
    </message>
    <message>
        <source>New random draw</source>
        <translation>重新随机生成</translation>
    </message>
    <message>
        <source>Show another random augmentation of the same images: training changes every image a little every epoch.</source>
        <translation>对同样的图像显示另一组随机数据增强：训练时每一轮都会对每张图像做少许改变。</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Files that cannot be used for training, and why.</source>
        <translation>无法用于训练的文件及原因。</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>No training data chosen yet. Choose a folder or a file, or drop one here.</source>
        <translation>尚未选择训练数据。请选择一个文件夹或文件，或将其拖放到这里。</translation>
    </message>
    <message>
        <source>Training data: %1</source>
        <translation>训练数据：%1</translation>
    </message>
    <message>
        <source>Choose the training images folder</source>
        <translation>选择训练图像文件夹</translation>
    </message>
    <message>
        <source>Choose a training data file</source>
        <translation>选择训练数据文件</translation>
    </message>
    <message>
        <source>Image data files (*-idx3-ubyte *-idx3-ubyte.gz *.idx3-ubyte *.bin);;All files (*)</source>
        <translation>图像数据文件 (*-idx3-ubyte *-idx3-ubyte.gz *.idx3-ubyte *.bin);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose the validation data (a folder or a file)</source>
        <translation>选择验证数据（文件夹或文件）</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>正在扫描…</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) cannot be used: see Skipped files.</source>
        <translation>
            <numerusform>%n 个文件无法使用：请查看“已跳过的文件”。</numerusform>
        </translation>
    </message>
    <message>
        <source>Validation images are split from the training data (the same split each run).</source>
        <translation>验证图像从训练数据中划分出来（每次运行的划分相同）。</translation>
    </message>
    <message>
        <source>Choose the validation data; until then the validation images are split from the training data.</source>
        <translation>请选择验证数据；在此之前，验证图像从训练数据中划分。</translation>
    </message>
    <message>
        <source>Validation data: %1</source>
        <translation>验证数据：%1</translation>
    </message>
    <message>
        <source>Warning: the validation classes differ from the training classes (%1 vs %2). Use the same class folders in both.</source>
        <translation>警告：验证数据的类别（%1）与训练数据的类别（%2）不同。请在两者中使用相同的类别文件夹。</translation>
    </message>
    <message>
        <source>Each image as the model sees it in training: %1 × %1 pixels with %2 augmentation, a new random draw every epoch. Validation uses the centre crop without augmentation.</source>
        <translation>模型在训练时看到的每张图像：%1 × %1 像素，使用%2数据增强，每轮重新随机生成。验证时使用中心裁剪，不做数据增强。</translation>
    </message>
    <message>
        <source>Each image as the model sees it in validation: the shorter side resized, then the centre %1 × %1 pixels.</source>
        <translation>模型在验证时看到的每张图像：先缩放短边，再取中心 %1 × %1 像素。</translation>
    </message>
    <message>
        <source>The images as they are stored, before any transform.</source>
        <translation>图像的存储原样，未经任何变换。</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n image(s)</source>
        <translation>
            <numerusform>%1：%n 张图像</numerusform>
        </translation>
    </message>
    <message>
        <source>(no images)</source>
        <translation>（无图像）</translation>
    </message>
    <message>
        <source>%1
Original: %2 × %3 pixels</source>
        <translation>%1
原始尺寸：%2 × %3 像素</translation>
    </message>
    <message>
        <source>Skipped files (%1)</source>
        <translation>已跳过的文件（%1）</translation>
    </message>
    <message numerus="yes">
        <source>%1 images in %n class(es)</source>
        <translation>
            <numerusform>%n 个类别，共 %1 张图像</numerusform>
        </translation>
    </message>
    <message>
        <source>no</source>
        <translation>不做</translation>
    </message>
    <message>
        <source>light</source>
        <translation>轻度</translation>
    </message>
    <message>
        <source>strong</source>
        <translation>强</translation>
    </message>
    <message>
        <source>Health check</source>
        <translation>健康检查</translation>
    </message>
</context>
<context>
    <name>fts::ui::DatasetScan</name>
    <message>
        <source>No dataset chosen: choose a folder or a file with images.</source>
        <translation>未选择数据集：请选择一个包含图像的文件夹或文件。</translation>
    </message>
</context>
<context>
    <name>fts::ui::DownloadDialog</name>
    <message>
        <source>Download ImageNet weights</source>
        <translation>下载 ImageNet 权重</translation>
    </message>
    <message>
        <source>Downloading the ImageNet weights of %1 from %2 into %3.</source>
        <translation>正在从 %2 下载 %1 的 ImageNet 权重到 %3。</translation>
    </message>
    <message>
        <source>Load from file…</source>
        <translation>从文件加载…</translation>
    </message>
    <message>
        <source>Choose a weights file you already have.</source>
        <translation>选择一个你已有的权重文件。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Looking for the file in the cache…</source>
        <translation>正在缓存中查找文件…</translation>
    </message>
    <message>
        <source>Checking the file&apos;s SHA-256…</source>
        <translation>正在校验文件的 SHA-256…</translation>
    </message>
    <message>
        <source>Downloading…</source>
        <translation>正在下载…</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Done: %1</source>
        <translation>完成：%1</translation>
    </message>
    <message>
        <source>Cancelled; the next download resumes where this one stopped.</source>
        <translation>已取消；下次下载会从这次停下的地方继续。</translation>
    </message>
    <message>
        <source>%1
Without a network, choose a weights file you already have with “Load from file…”.</source>
        <translation>%1
没有网络时，请用“从文件加载…”选择一个你已有的权重文件。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>fts::ui::ExperimentDialog</name>
    <message>
        <source>Head only (frozen backbone)</source>
        <translation>只训练分类头（冻结骨干网络）</translation>
    </message>
    <message>
        <source>Last block + head</source>
        <translation>最后一个模块 + 分类头</translation>
    </message>
    <message>
        <source>Everything, from pretrained weights</source>
        <translation>全部层，从预训练权重开始</translation>
    </message>
    <message>
        <source>Everything, from scratch (random weights)</source>
        <translation>全部层，从零开始（随机权重）</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>Transfer-learning experiment</source>
        <translation>迁移学习实验</translation>
    </message>
    <message>
        <source>&lt;b&gt;Head only:&lt;/b&gt; the pretrained network stays frozen and only a new last layer learns. Fastest; it works when the new images look like those the network has seen.</source>
        <translation>&lt;b&gt;只训练分类头：&lt;/b&gt;预训练网络保持冻结，只有新的最后一层在学习。速度最快；适用于新图像与网络见过的图像相似的情况。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Last block + head:&lt;/b&gt; the last block of the pretrained network adapts too. A middle way.</source>
        <translation>&lt;b&gt;最后一个模块 + 分类头：&lt;/b&gt;预训练网络的最后一个模块也会随之调整。折中的做法。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Everything:&lt;/b&gt; every layer fine-tunes from the pretrained weights, those more slowly than the new head. Usually the most accurate, and slower.</source>
        <translation>&lt;b&gt;全部层：&lt;/b&gt;每一层都从预训练权重开始微调，且比新的分类头学得更慢。通常准确率最高，但速度较慢。</translation>
    </message>
    <message>
        <source>&lt;b&gt;From scratch:&lt;/b&gt; the same network from random weights. The baseline: what the pretrained weights are worth.</source>
        <translation>&lt;b&gt;从零开始：&lt;/b&gt;同一个网络从随机权重开始训练。这是基准：用来衡量预训练权重的价值。</translation>
    </message>
    <message>
        <source>Train the same model on the same data in four ways, one after another, and compare how much starting from pretrained weights helps:</source>
        <translation>用四种方式在相同的数据上依次训练同一个模型，比较从预训练权重开始能带来多大帮助：</translation>
    </message>
    <message>
        <source>Strategies</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>No pretrained weights are chosen (tab 1 · Model &amp; layers), so only “from scratch” can run: the other three strategies start from pretrained weights.</source>
        <translation>尚未选择预训练权重（标签页“1 · 模型与层”），因此只能运行“从零开始”：其他三种策略都从预训练权重开始。</translation>
    </message>
    <message>
        <source>Every strategy trains for this many epochs, so that the comparison is fair.</source>
        <translation>每种策略都训练这么多轮，以保证比较公平。</translation>
    </message>
    <message>
        <source>Epochs per strategy:</source>
        <translation>每种策略的训练轮数：</translation>
    </message>
    <message>
        <source>Saved in:</source>
        <translation>保存位置：</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Best validation accuracy</source>
        <translation>最高验证准确率</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Press Start to train the strategies one after another.</source>
        <translation>点击“开始”依次训练各个策略。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Open report</source>
        <translation>打开报告</translation>
    </message>
    <message>
        <source>The comparison as a self-contained HTML page to share.</source>
        <translation>以独立的 HTML 网页呈现的比较结果，便于分享。</translation>
    </message>
    <message>
        <source>Show in Runs</source>
        <translation>在运行记录中查看</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Stopping after the current batch…</source>
        <translation>当前批次完成后停止…</translation>
    </message>
    <message>
        <source>Stop the experiment?</source>
        <translation>停止实验？</translation>
    </message>
    <message>
        <source>The experiment is still training. Stop it and close this window? The strategies that finished are kept.</source>
        <translation>实验仍在训练中。要停止它并关闭此窗口吗？已完成的策略会被保留。</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Training %1 of %2: %3</source>
        <translation>正在训练第 %1 / %2 个：%3</translation>
    </message>
    <message>
        <source>training epoch %1/%2</source>
        <translation>正在训练第 %1/%2 轮</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>see the run&apos;s log</source>
        <translation>请查看该运行的日志</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>not run</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>Done. Compare the strategies above, or open the report for their curves side by side.</source>
        <translation>完成。请比较上方各策略的结果，或打开报告并排查看它们的曲线。</translation>
    </message>
    <message>
        <source>Stopped. The strategies that finished are kept.</source>
        <translation>已停止。已完成的策略会被保留。</translation>
    </message>
    <message>
        <source>The experiment failed: %1</source>
        <translation>实验失败：%1</translation>
    </message>
    <message>
        <source>see the runs&apos; logs</source>
        <translation>请查看各次运行的日志</translation>
    </message>
</context>
<context>
    <name>fts::ui::GalleryModel</name>
    <message>
        <source>%1 → %2 %3%</source>
        <translation>%1 → %2 %3%</translation>
    </message>
    <message>
        <source>%1
True class: %2
Predicted: %3 (%4%)</source>
        <translation>%1
真实类别：%2
预测：%3（%4%）</translation>
    </message>
    <message>
        <source>Loss: %1</source>
        <translation>损失：%1</translation>
    </message>
    <message>
        <source>unlabelled</source>
        <comment>an image whose true class is not known</comment>
        <translation>无标签</translation>
    </message>
    <message>
        <source>Pending: exclude from the dataset</source>
        <translation>待处理：从数据集中排除</translation>
    </message>
    <message>
        <source>Pending: relabel as %1</source>
        <translation>待处理：重新标注为 %1</translation>
    </message>
</context>
<context>
    <name>fts::ui::GalleryPanel</name>
    <message>
        <source>Training now: the model&apos;s guesses on the (augmented) images it is learning from</source>
        <translation>正在训练：模型对其正在学习的（经数据增强的）图像的预测</translation>
    </message>
    <message>
        <source>All images</source>
        <translation>全部图像</translation>
    </message>
    <message>
        <source>Misclassified</source>
        <translation>分类错误</translation>
    </message>
    <message>
        <source>Correctly classified</source>
        <translation>分类正确</translation>
    </message>
    <message>
        <source>By true class</source>
        <translation>按真实类别</translation>
    </message>
    <message>
        <source>By predicted class</source>
        <translation>按预测类别</translation>
    </message>
    <message>
        <source>True and predicted class</source>
        <translation>按真实和预测类别</translation>
    </message>
    <message>
        <source>Which validation images to show, for example only the ones the model got wrong.</source>
        <translation>要显示哪些验证图像，例如只显示模型判断错误的图像。</translation>
    </message>
    <message>
        <source>Show images whose real class is this one.</source>
        <translation>显示真实类别为此类别的图像。</translation>
    </message>
    <message>
        <source>Show images the model predicted as this class.</source>
        <translation>显示模型预测为此类别的图像。</translation>
    </message>
    <message>
        <source>Highest loss first</source>
        <translation>损失最高优先</translation>
    </message>
    <message>
        <source>Most confident first</source>
        <translation>置信度最高优先</translation>
    </message>
    <message>
        <source>Least confident first</source>
        <translation>置信度最低优先</translation>
    </message>
    <message>
        <source>File name</source>
        <translation>文件名</translation>
    </message>
    <message>
        <source>The order of the images: highest loss first shows the worst mistakes at the top.</source>
        <translation>图像的排列顺序：“损失最高优先”会把最严重的错误排在最前面。</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>Sort:</source>
        <translation>排序：</translation>
    </message>
    <message>
        <source>Validation images after epoch %1</source>
        <translation>第 %1 轮后的验证图像</translation>
    </message>
    <message>
        <source>Training now (epoch %1): the model&apos;s guesses on the (augmented) images it is learning from</source>
        <translation>正在训练（第 %1 轮）：模型对其正在学习的（经数据增强的）图像的预测</translation>
    </message>
    <message>
        <source>No predictions yet: they appear after the first epoch.</source>
        <translation>尚无预测结果：第一轮结束后会显示。</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n image(s)</source>
        <translation>
            <numerusform>%1 / %n 张图像</numerusform>
        </translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Apply to folder…</source>
        <translation>应用到文件夹…</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
    <message>
        <source>Forget all pending changes (this can be undone).</source>
        <translation>放弃所有待处理的更改（可以撤销）。</translation>
    </message>
    <message>
        <source>Only image-folder datasets can be edited: these images are records inside a data file (IDX or CIFAR), which cannot be moved.</source>
        <translation>只有图像文件夹形式的数据集可以编辑：这些图像是数据文件（IDX 或 CIFAR）中的记录，无法移动。</translation>
    </message>
    <message>
        <source>The changes are being applied to the folder; wait until they are done.</source>
        <translation>正在将更改应用到文件夹；请等待完成。</translation>
    </message>
    <message>
        <source>Select one or more images first.</source>
        <translation>请先选择一张或多张图像。</translation>
    </message>
    <message>
        <source>Only images of the dataset folder %1 can be relabelled or excluded.</source>
        <translation>只有数据集文件夹 %1 中的图像可以重新标注或排除。</translation>
    </message>
    <message>
        <source>Relabel as</source>
        <translation>重新标注为</translation>
    </message>
    <message>
        <source>Move the image(s) into another class folder when the changes are applied.</source>
        <translation>应用更改时，把图像移入另一个类别文件夹。</translation>
    </message>
    <message>
        <source>Exclude from the dataset</source>
        <translation>从数据集中排除</translation>
    </message>
    <message>
        <source>Move the image(s) out of the dataset, into a folder beside it, when the changes are applied.</source>
        <translation>应用更改时，把图像移出数据集，放入数据集旁边的文件夹。</translation>
    </message>
    <message>
        <source>Revert changes</source>
        <translation>还原更改</translation>
    </message>
    <message>
        <source>Forget the pending changes of the image(s).</source>
        <translation>放弃这些图像的待处理更改。</translation>
    </message>
    <message>
        <source>Moving files…</source>
        <translation>正在移动文件…</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) pending</source>
        <translation>
            <numerusform>%n 项更改待处理</numerusform>
        </translation>
    </message>
    <message>
        <source>No changes pending</source>
        <translation>没有待处理的更改</translation>
    </message>
    <message>
        <source>A training run is reading the data: stop it or wait until it finishes, then apply the changes.</source>
        <translation>有训练运行正在读取数据：请停止它或等待它完成，然后再应用更改。</translation>
    </message>
    <message>
        <source>Move the files: relabelled images into their new class folders, excluded images into a folder beside the dataset. Asks first; nothing is deleted.</source>
        <translation>移动文件：把重新标注的图像移入新的类别文件夹，把排除的图像移入数据集旁边的文件夹。会先询问确认；不会删除任何文件。</translation>
    </message>
    <message numerus="yes">
        <source>Moved %n file(s).</source>
        <translation>
            <numerusform>已移动 %n 个文件。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) could not be moved and stay where they were (see the details).</source>
        <translation>
            <numerusform>%n 个文件无法移动，仍留在原处（请查看详细信息）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Train again to learn from the fixed data.</source>
        <translation>重新训练，以便从修正后的数据中学习。</translation>
    </message>
    <message>
        <source>Changes applied</source>
        <translation>更改已应用</translation>
    </message>
</context>
<context>
    <name>fts::ui::HealthPanel</name>
    <message>
        <source>Check dataset</source>
        <translation>检查数据集</translation>
    </message>
    <message>
        <source>Look for unreadable files, imbalanced or tiny classes, and duplicate images within and across the training and validation data.</source>
        <translation>查找无法读取的文件、不平衡或过小的类别，以及训练和验证数据内部及之间的重复图像。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Not checked yet.</source>
        <translation>尚未检查。</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>发现</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>The files of the selected finding.</source>
        <translation>所选发现涉及的文件。</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Show the selected file&apos;s folder in the file manager.</source>
        <translation>在文件管理器中显示所选文件所在的文件夹。</translation>
    </message>
    <message>
        <source>No dataset.</source>
        <translation>没有数据集。</translation>
    </message>
    <message>
        <source>Checking...</source>
        <translation>正在检查...</translation>
    </message>
    <message>
        <source>Check cancelled.</source>
        <translation>检查已取消。</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n file(s))</source>
        <translation>
            <numerusform>%1（%n 个文件）</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 training images, %2 validation images: %3 problem(s), %4 warning(s).</source>
        <translation>%1 张训练图像，%2 张验证图像：%3 个问题，%4 个警告。</translation>
    </message>
    <message>
        <source>Nothing to report.</source>
        <translation>没有需要报告的内容。</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Unreadable file</source>
        <translation>无法读取的文件</translation>
    </message>
    <message>
        <source>Empty class</source>
        <translation>空类别</translation>
    </message>
    <message>
        <source>Tiny class</source>
        <translation>过小的类别</translation>
    </message>
    <message>
        <source>Class imbalance</source>
        <translation>类别不平衡</translation>
    </message>
    <message>
        <source>Exact duplicates</source>
        <translation>完全重复</translation>
    </message>
    <message>
        <source>Near duplicates</source>
        <translation>近似重复</translation>
    </message>
    <message>
        <source>Training/validation leak</source>
        <translation>训练/验证泄漏</translation>
    </message>
    <message>
        <source>Label conflict</source>
        <translation>标签冲突</translation>
    </message>
</context>
<context>
    <name>fts::ui::HyperparameterPanel</name>
    <message>
        <source>Optimisation</source>
        <translation>优化</translation>
    </message>
    <message>
        <source>&amp;Epochs:</source>
        <translation>训练轮数(&amp;E)：</translation>
    </message>
    <message>
        <source>How many times training goes through all training images.</source>
        <translation>训练过程遍历全部训练图像的次数。</translation>
    </message>
    <message>
        <source>&amp;Batch size:</source>
        <translation>批次大小(&amp;B)：</translation>
    </message>
    <message>
        <source>How many images the model looks at before each update; larger needs more memory.</source>
        <translation>模型每次更新前查看的图像数量；越大需要的内存越多。</translation>
    </message>
    <message>
        <source>How big each update step is (1.0e-3 = 0.001); too large and training jumps around, too small and it barely moves.</source>
        <translation>每次更新的步长（1.0e-3 = 0.001）；太大训练会来回震荡，太小则几乎不前进。</translation>
    </message>
    <message>
        <source>&amp;Learning rate:</source>
        <translation>学习率(&amp;L)：</translation>
    </message>
    <message>
        <source>SGD</source>
        <translation>SGD</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>AdamW</source>
        <translation>AdamW</translation>
    </message>
    <message>
        <source>&amp;Optimizer:</source>
        <translation>优化器(&amp;O)：</translation>
    </message>
    <message>
        <source>The rule that turns the error into weight updates; AdamW is a robust default.</source>
        <translation>把误差转换为权重更新的规则；AdamW 是稳妥的默认选择。</translation>
    </message>
    <message>
        <source>&amp;Momentum:</source>
        <translation>动量(&amp;M)：</translation>
    </message>
    <message>
        <source>For SGD only: how much of the previous update carries over, smoothing the steps.</source>
        <translation>仅用于 SGD：保留上一次更新的多少比例，使更新步伐更平滑。</translation>
    </message>
    <message>
        <source>&amp;Weight decay:</source>
        <translation>权重衰减(&amp;W)：</translation>
    </message>
    <message>
        <source>A small pull of every weight towards zero that helps against over-fitting.</source>
        <translation>把每个权重轻微拉向零，有助于防止过拟合。</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <source>Step (divide by 10 every third of the run)</source>
        <translation>阶梯（每经过三分之一的训练除以 10）</translation>
    </message>
    <message>
        <source>Cosine (smoothly down to zero)</source>
        <translation>余弦（平滑降到零）</translation>
    </message>
    <message>
        <source>&amp;Schedule:</source>
        <translation>学习率调度(&amp;S)：</translation>
    </message>
    <message>
        <source>How the learning rate changes during the run; lowering it late helps the model settle.</source>
        <translation>学习率在训练过程中如何变化；后期降低学习率有助于模型收敛。</translation>
    </message>
    <message>
        <source>Warm-&amp;up epochs:</source>
        <translation>预热轮数(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Random seed:</source>
        <translation>随机种子(&amp;R)：</translation>
    </message>
    <message>
        <source>Epochs at the start in which the learning rate grows from almost zero, which keeps the first updates gentle.</source>
        <translation>训练开始时学习率从接近零逐渐增大的轮数，让最初的更新更平缓。</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Auto (the model&apos;s size)</source>
        <translation>自动（模型的尺寸）</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>&amp;Image size:</source>
        <translation>图像尺寸(&amp;I)：</translation>
    </message>
    <message>
        <source>The side in pixels images are scaled and cropped to; Auto uses the size the model was trained with.</source>
        <translation>图像缩放和裁剪后的边长（像素）；“自动”使用模型训练时的尺寸。</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Light (flips and small crops)</source>
        <translation>轻度（翻转和小幅裁剪）</translation>
    </message>
    <message>
        <source>Strong (also colour and rotation)</source>
        <translation>强（另加颜色变化和旋转）</translation>
    </message>
    <message>
        <source>&amp;Augmentation:</source>
        <translation>数据增强(&amp;A)：</translation>
    </message>
    <message>
        <source>Random changes to training images so the model sees more variety and memorises less.</source>
        <translation>随机改变训练图像，让模型见到更多变化、减少死记硬背。</translation>
    </message>
    <message>
        <source>&amp;Validation split:</source>
        <translation>验证集比例(&amp;V)：</translation>
    </message>
    <message>
        <source>The share of images kept aside to measure accuracy on images the model never trains on.</source>
        <translation>留出的图像比例，用于在模型从未训练过的图像上测量准确率。</translation>
    </message>
    <message>
        <source>The starting number for every random choice; the same seed repeats the same run.</source>
        <translation>所有随机选择的起始数字；相同的随机种子会重现相同的训练。</translation>
    </message>
    <message>
        <source>Machine</source>
        <translation>计算资源</translation>
    </message>
    <message>
        <source>Automatic (a GPU when there is one, else the CPU)</source>
        <translation>自动（有 GPU 时用 GPU，否则用 CPU）</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>设备(&amp;D)：</translation>
    </message>
    <message>
        <source>Where the computation runs; a GPU is much faster than the CPU.</source>
        <translation>计算在哪里运行；GPU 比 CPU 快得多。</translation>
    </message>
    <message>
        <source>Auto (all %1 cores)</source>
        <translation>自动（全部 %1 个核心）</translation>
    </message>
    <message>
        <source>&amp;Threads:</source>
        <translation>线程数(&amp;T)：</translation>
    </message>
    <message>
        <source>How many CPU cores training may use; fewer leaves the computer responsive.</source>
        <translation>训练可使用的 CPU 核心数；用得少一些，电脑会更流畅。</translation>
    </message>
    <message>
        <source>The first GPU (cuda)</source>
        <translation>第一块 GPU（cuda）</translation>
    </message>
    <message>
        <source>%1 (not available on this computer)</source>
        <translation>%1（此电脑上不可用）</translation>
    </message>
    <message>
        <source>The warm-up (%1 epochs) must be shorter than the whole run (%2 epochs): lower the warm-up or train for more epochs.</source>
        <translation>预热（%1 轮）必须短于整个训练（%2 轮）：请减少预热轮数或增加训练轮数。</translation>
    </message>
    <message>
        <source>The device %1 is not available on this computer: choose another device or Automatic.</source>
        <translation>设备 %1 在此电脑上不可用：请选择其他设备或“自动”。</translation>
    </message>
    <message>
        <source>32-bit floats (fp32)</source>
        <translation>32 位浮点（fp32）</translation>
    </message>
    <message>
        <source>bfloat16 mixed precision (bf16, recent NVIDIA GPUs)</source>
        <translation>bfloat16 混合精度（bf16，较新的 NVIDIA GPU）</translation>
    </message>
    <message>
        <source>&amp;Precision:</source>
        <translation>精度(&amp;P)：</translation>
    </message>
    <message>
        <source>bf16 computes most layers in 16-bit floats on NVIDIA GPUs of compute capability 8.0 or newer (Ampere and later): faster and leaner, with about the same accuracy. fp32 works everywhere.</source>
        <translation>bf16 在计算能力 8.0 及以上（Ampere 及更新）的 NVIDIA GPU 上用 16 位浮点计算大部分层：更快、更省显存，准确率基本相同。fp32 在任何设备上都可用。</translation>
    </message>
    <message>
        <source>bf16 precision needs an NVIDIA GPU of compute capability 8.0 or newer (Ampere or later), and the chosen device is not one: choose fp32 or such a GPU.</source>
        <translation>bf16 精度需要计算能力 8.0 及以上（Ampere 或更新）的 NVIDIA GPU，而所选设备不是：请选择 fp32 或这样的 GPU。</translation>
    </message>
    <message>
        <source>Find learning rate…</source>
        <translation>寻找学习率…</translation>
    </message>
    <message>
        <source>Find a learning rate: a short test run with a growing learning rate plots the loss and suggests a value</source>
        <translation>寻找学习率：用逐渐增大的学习率做一次短暂的试训练，绘出损失并建议一个值</translation>
    </message>
</context>
<context>
    <name>fts::ui::ImageInspector</name>
    <message>
        <source>Image: %1</source>
        <translation>图像：%1</translation>
    </message>
    <message>
        <source>True class: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>真实类别：&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Predicted: &lt;b&gt;&lt;span style=&quot;color:%1&quot;&gt;%2&lt;/span&gt;&lt;/b&gt; (%3%)</source>
        <translation>预测：&lt;b&gt;&lt;span style=&quot;color:%1&quot;&gt;%2&lt;/span&gt;&lt;/b&gt;（%3%）</translation>
    </message>
    <message>
        <source>Correct.</source>
        <translation>正确。</translation>
    </message>
    <message>
        <source>Wrong: this is %1, but the model said %2.</source>
        <translation>错误：这是 %1，但模型认为是 %2。</translation>
    </message>
    <message>
        <source>Loss: %1</source>
        <translation>损失：%1</translation>
    </message>
    <message>
        <source>Most probable classes:</source>
        <translation>最可能的类别：</translation>
    </message>
    <message>
        <source>The true class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <source>Showing the small preview: the dataset is not open.</source>
        <translation>正在显示小预览图：数据集未打开。</translation>
    </message>
    <message>
        <source>Loading the full image…</source>
        <translation>正在加载完整图像…</translation>
    </message>
    <message>
        <source>No image available</source>
        <translation>没有可用的图像</translation>
    </message>
    <message>
        <source>Showing the small preview: the full image could not be loaded from the dataset.</source>
        <translation>正在显示小预览图：无法从数据集中加载完整图像。</translation>
    </message>
    <message>
        <source>Full image: %1 × %2 pixels.</source>
        <translation>完整图像：%1 × %2 像素。</translation>
    </message>
    <message>
        <source>unlabelled</source>
        <translation>无标签</translation>
    </message>
    <message>
        <source>No true class is known for this image.</source>
        <translation>这张图像没有已知的真实类别。</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Grad-CAM: predicted class</source>
        <translation>Grad-CAM：预测类别</translation>
    </message>
    <message>
        <source>Where the model looked for its prediction (Grad-CAM at the chosen layer)</source>
        <translation>模型为做出预测而关注的位置（所选层的 Grad-CAM）</translation>
    </message>
    <message>
        <source>Grad-CAM: true class</source>
        <translation>Grad-CAM：真实类别</translation>
    </message>
    <message>
        <source>Where the model sees evidence for the true class</source>
        <translation>模型看到真实类别证据的位置</translation>
    </message>
    <message>
        <source>The layer whose activations Grad-CAM weighs (default: the last block)</source>
        <translation>Grad-CAM 所加权的激活所在的层（默认：最后一个块）</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>层：</translation>
    </message>
    <message>
        <source>Waiting for the image…</source>
        <translation>正在等待图像…</translation>
    </message>
    <message>
        <source>Grad-CAM of the predicted class at %1: red marks where the evidence for it lies.</source>
        <translation>预测类别在 %1 的 Grad-CAM：红色标出其证据所在之处。</translation>
    </message>
    <message>
        <source>Grad-CAM of the true class at %1: red marks where the evidence for it lies.</source>
        <translation>真实类别在 %1 的 Grad-CAM：红色标出其证据所在之处。</translation>
    </message>
    <message>
        <source>Computing Grad-CAM…</source>
        <translation>正在计算 Grad-CAM…</translation>
    </message>
    <message>
        <source>Grad-CAM is not available: %1</source>
        <translation>Grad-CAM 不可用：%1</translation>
    </message>
</context>
<context>
    <name>fts::ui::LayerTreeModel</name>
    <message>
        <source> (the head: the layer that outputs one score per class)</source>
        <translation>（分类头：为每个类别输出一个分数的层）</translation>
    </message>
    <message>
        <source>This module has no parameters to learn, so there is nothing to freeze.</source>
        <translation>此模块没有可学习的参数，因此无需冻结。</translation>
    </message>
    <message>
        <source>Frozen: its %1 parameters keep their current values during training.</source>
        <translation>已冻结：其 %1 个参数在训练中保持当前值。</translation>
    </message>
    <message>
        <source>Partly frozen: %1 of its %2 parameters keep their values.</source>
        <translation>部分冻结：其 %2 个参数中有 %1 个保持不变。</translation>
    </message>
    <message>
        <source>Trains: tick the box to freeze it and everything inside it.</source>
        <translation>参与训练：勾选复选框可冻结它及其包含的所有层。</translation>
    </message>
    <message>
        <source>Module (tick = frozen)</source>
        <translation>模块（勾选 = 冻结）</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation>输出形状</translation>
    </message>
    <message>
        <source>The network&apos;s layers; a ticked layer is frozen and keeps its values.</source>
        <translation>网络的各层；勾选的层被冻结，保持其参数值不变。</translation>
    </message>
    <message>
        <source>What kind of layer this is (convolution, normalisation, linear, ...).</source>
        <translation>这是哪种层（卷积、归一化、线性……）。</translation>
    </message>
    <message>
        <source>How many numbers the layer and everything inside it can learn.</source>
        <translation>该层及其内部所有层可以学习的数值个数。</translation>
    </message>
    <message>
        <source>The size of what the layer outputs for one image: channels × height × width.</source>
        <translation>该层对一张图像输出的尺寸：通道 × 高 × 宽。</translation>
    </message>
</context>
<context>
    <name>fts::ui::LayerTreePanel</name>
    <message>
        <source>Tick a layer to freeze it: its parameters keep the values they learned before and only the unticked layers learn from your images.</source>
        <translation>勾选某层即可冻结它：它的参数保持之前学到的值，只有未勾选的层会从你的图像中学习。</translation>
    </message>
    <message>
        <source>Train head only</source>
        <translation>只训练分类头</translation>
    </message>
    <message>
        <source>Freeze everything except the last layer (the head): fastest, and good when you have few images similar to what the model was trained on.</source>
        <translation>冻结除最后一层（分类头）之外的所有层：速度最快，适合图像较少且与模型原训练数据相似的情况。</translation>
    </message>
    <message>
        <source>Train last block + head</source>
        <translation>训练最后一个块 + 分类头</translation>
    </message>
    <message>
        <source>Freeze the early layers, which detect general edges and textures, and let the last block adapt its features to your images together with the head.</source>
        <translation>冻结检测通用边缘和纹理的前几层，让最后一个块与分类头一起根据你的图像调整特征。</translation>
    </message>
    <message>
        <source>Train everything</source>
        <translation>训练全部层</translation>
    </message>
    <message>
        <source>Freeze nothing: every layer adapts to your images. Slowest, and best when you have many images or they look very different.</source>
        <translation>不冻结任何层：每一层都会适应你的图像。速度最慢，适合图像很多或与原训练数据差异很大的情况。</translation>
    </message>
    <message>
        <source>How many of the model&apos;s parameters will change during training; frozen ones keep their values.</source>
        <translation>训练中模型会有多少参数发生变化；被冻结的参数保持不变。</translation>
    </message>
    <message>
        <source>No model yet: choose one above.</source>
        <translation>尚无模型：请在上方选择一个。</translation>
    </message>
    <message>
        <source>Trainable: %1 of %2 parameters (%3%)</source>
        <translation>可训练：%2 个参数中的 %1 个（%3%）</translation>
    </message>
    <message>
        <source>Nothing would learn: untick at least one layer.</source>
        <translation>没有任何层会学习：请至少取消勾选一层。</translation>
    </message>
</context>
<context>
    <name>fts::ui::LrCurveView</name>
    <message>
        <source>learning rate (log scale)</source>
        <translation>学习率（对数刻度）</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
</context>
<context>
    <name>fts::ui::LrFinderDialog</name>
    <message>
        <source>Find learning rate</source>
        <translation>寻找学习率</translation>
    </message>
    <message>
        <source>Trains a copy of the model for %1 batches while the learning rate grows from %2 to %3, and stops when the loss explodes. A good learning rate lies where the smoothed loss falls fastest. Nothing is saved.</source>
        <translation>用模型的副本训练 %1 个批次，学习率从 %2 增长到 %3，损失爆炸时停止。好的学习率位于平滑损失下降最快的地方。不会保存任何内容。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Use this value</source>
        <translation>使用此值</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <source>Stopping after this batch…</source>
        <translation>此批次后停止…</translation>
    </message>
    <message>
        <source>Step %1 of %2: learning rate %3, loss %4</source>
        <translation>第 %1 / %2 步：学习率 %3，损失 %4</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>The learning-rate test failed: %1</source>
        <translation>学习率测试失败：%1</translation>
    </message>
    <message>
        <source>Too few steps to suggest a learning rate.</source>
        <translation>步数太少，无法建议学习率。</translation>
    </message>
    <message>
        <source>where the smoothed loss falls fastest</source>
        <translation>平滑损失下降最快处</translation>
    </message>
    <message>
        <source>a tenth of the learning rate with the lowest loss</source>
        <translation>损失最低处学习率的十分之一</translation>
    </message>
    <message>
        <source>Suggested learning rate: &lt;b&gt;%1&lt;/b&gt; (%2).</source>
        <translation>建议的学习率：&lt;b&gt;%1&lt;/b&gt;（%2）。</translation>
    </message>
    <message>
        <source>Cancelled early: the curve is partial.</source>
        <translation>已提前取消：曲线不完整。</translation>
    </message>
</context>
<context>
    <name>fts::ui::MainWindow</name>
    <message>
        <source>&amp;Start training</source>
        <translation>开始训练(&amp;S)</translation>
    </message>
    <message>
        <source>Train the model on the dataset with the settings on the left.</source>
        <translation>使用左侧的设置在数据集上训练模型。</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Pause training after the current batch; press again to resume.</source>
        <translation>在当前批次完成后暂停训练；再按一次继续。</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>Stop training now; the last finished epoch is kept and can be exported.</source>
        <translation>立即停止训练；最后完成的一轮会被保留，并可导出。</translation>
    </message>
    <message>
        <source>&amp;Open project…</source>
        <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <source>Save project &amp;as…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Export model…</source>
        <translation>导出模型(&amp;E)…</translation>
    </message>
    <message>
        <source>Write the trained model as files that this app, the CLI and PyTorch can load.</source>
        <translation>将训练好的模型写成本应用、命令行工具和 PyTorch 都能加载的文件。</translation>
    </message>
    <message>
        <source>Load the &amp;demo</source>
        <translation>加载演示(&amp;D)</translation>
    </message>
    <message>
        <source>Select the bundled demo: a small pretrained network and Fashion-MNIST images.</source>
        <translation>选择内置演示：一个小型预训练网络和 Fashion-MNIST 图像。</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Start training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Export model…</source>
        <translation>导出模型…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Finetune Studio</source>
        <translation>关于 Finetune Studio(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>1 · Model &amp;&amp; layers</source>
        <translation>1 · 模型与层</translation>
    </message>
    <message>
        <source>2 · Data</source>
        <translation>2 · 数据</translation>
    </message>
    <message>
        <source>3 · Hyperparameters</source>
        <translation>3 · 超参数</translation>
    </message>
    <message>
        <source>Training curves</source>
        <translation>训练曲线</translation>
    </message>
    <message>
        <source>Predictions</source>
        <translation>预测结果</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Data: %1 (%2)</source>
        <translation>数据：%1（%2）</translation>
    </message>
    <message>
        <source>Training %1 (%2) in %3</source>
        <translation>正在训练 %1（%2），输出到 %3</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) skipped; see the Data tab for the reasons.</source>
        <translation>
            <numerusform>已跳过 %n 个文件；原因请查看“数据”标签页。</numerusform>
        </translation>
    </message>
    <message>
        <source>The bundled demo was not found: %1</source>
        <translation>未找到内置演示：%1</translation>
    </message>
    <message>
        <source>The bundled demo is selected: a small network pretrained on five other Fashion-MNIST classes learns Sandal, Shirt, Sneaker, Bag and Ankle boot from ten images each. Press Start.</source>
        <translation>已选择内置演示：一个在另外五个 Fashion-MNIST 类别上预训练的小型网络，将从每类十张图像中学会识别 Sandal、Shirt、Sneaker、Bag 和 Ankle boot。请点击“开始训练”。</translation>
    </message>
    <message>
        <source>Choose a dataset first (tab 2 · Data), or load the demo.</source>
        <translation>请先选择数据集（标签页“2 · 数据”），或加载演示。</translation>
    </message>
    <message>
        <source>The model is not ready yet; see tab 1 · Model &amp; layers.</source>
        <translation>模型尚未就绪；请查看标签页“1 · 模型与层”。</translation>
    </message>
    <message>
        <source>Cannot create the run folder %1. Choose another runs folder.</source>
        <translation>无法创建运行文件夹 %1。请选择其他运行目录。</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Setting up…</source>
        <translation>正在准备…</translation>
    </message>
    <message>
        <source>Training</source>
        <comment>status bar: a run is in progress</comment>
        <translation>训练中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>%1 classes, %2 training and %3 validation images.</source>
        <translation>%1 个类别，%2 张训练图像和 %3 张验证图像。</translation>
    </message>
    <message>
        <source>Epoch %1 of %2 · batch %3 of %4 · %5 images/s · %6 left</source>
        <translation>第 %1/%2 轮 · 批次 %3/%4 · %5 张/秒 · 剩余 %6</translation>
    </message>
    <message>
        <source>Epoch %1/%2: training loss %3, accuracy %4% · validation loss %5, accuracy %6%%7 · %8 s</source>
        <translation>第 %1/%2 轮：训练损失 %3，准确率 %4% · 验证损失 %5，准确率 %6%%7 · %8 秒</translation>
    </message>
    <message>
        <source> (best so far)</source>
        <translation>（目前最佳）</translation>
    </message>
    <message>
        <source>Training finished: best validation accuracy %1% after %2 epochs (%3).</source>
        <translation>训练完成：%2 轮后最佳验证准确率为 %1%（用时 %3）。</translation>
    </message>
    <message numerus="yes">
        <source>Training stopped after %n epoch(s); the finished epochs are kept.</source>
        <translation>
            <numerusform>训练在 %n 轮后停止；已完成的轮次会被保留。</numerusform>
        </translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>训练失败：%1</translation>
    </message>
    <message>
        <source>Longest pause of the window during this run: %1 ms.</source>
        <translation>本次训练中窗口的最长卡顿：%1 ms。</translation>
    </message>
    <message>
        <source>Untitled project</source>
        <translation>未命名项目</translation>
    </message>
    <message>
        <source>%1 — Finetune Studio</source>
        <translation>%1 — Finetune Studio</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>Save project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
    <message>
        <source>Export the trained model into a folder</source>
        <translation>将训练好的模型导出到文件夹</translation>
    </message>
    <message>
        <source>Exported model.safetensors, model.pth and model.json to %1</source>
        <translation>已将 model.safetensors、model.pth 和 model.json 导出到 %1</translation>
    </message>
    <message>
        <source>Export model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The new language is used the next time Finetune Studio starts.</source>
        <translation>新语言将在下次启动 Finetune Studio 时生效。</translation>
    </message>
    <message>
        <source>&amp;Predict on a folder…</source>
        <translation>对文件夹预测(&amp;P)…</translation>
    </message>
    <message>
        <source>Classify every image in a folder with this run&apos;s best weights (or a chosen export bundle) and show them under Predictions.</source>
        <translation>用本次运行的最佳权重（或选定的导出包）对文件夹中的每张图像分类，并在“预测”中显示。</translation>
    </message>
    <message>
        <source>Choose an exported model (a folder with model.json) or a run directory</source>
        <translation>选择一个导出的模型（含 model.json 的文件夹）或运行目录</translation>
    </message>
    <message>
        <source>Choose a folder of images to classify</source>
        <translation>选择要分类的图像文件夹</translation>
    </message>
    <message>
        <source>Classifying the images in %1…</source>
        <translation>正在对 %1 中的图像分类…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Predict on a folder</source>
        <translation>对文件夹预测</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) in %1</source>
        <translation>
            <numerusform>%1 中的 %n 张图像</numerusform>
        </translation>
    </message>
    <message>
        <source>accuracy %1% on %2 labelled</source>
        <translation>在 %2 张有标签图像上的准确率 %1%</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Skipped %1</source>
        <translation>已跳过 %1</translation>
    </message>
    <message>
        <source>Dataset health check: %1 problem(s), %2 warning(s); see Health check.</source>
        <translation>数据集健康检查：%1 个问题，%2 个警告；请查看“健康检查”。</translation>
    </message>
    <message>
        <source>Choose a model and a dataset first: the learning-rate test trains on them.</source>
        <translation>请先选择模型和数据集：学习率测试要在它们上训练。</translation>
    </message>
    <message>
        <source>Write class &amp;report…</source>
        <translation>撰写课堂报告(&amp;R)…</translation>
    </message>
    <message>
        <source>Write the last run&apos;s settings, curves, confusion matrix and most confidently wrong images as one web page to hand to students.</source>
        <translation>把最近一次运行的设置、曲线、混淆矩阵以及最有把握却预测错误的图像写成一个网页，方便分发给学生。</translation>
    </message>
    <message>
        <source>Run transfer-learning &amp;experiment…</source>
        <translation>运行迁移学习实验(&amp;E)…</translation>
    </message>
    <message>
        <source>Train this model on this data four ways (head only, last block + head, everything, from scratch) one after another and compare them.</source>
        <translation>用四种方式（只训练分类头、最后一个模块 + 分类头、全部层、从零开始）在此数据上依次训练此模型，并比较结果。</translation>
    </message>
    <message>
        <source>Experiment…</source>
        <translation>实验…</translation>
    </message>
    <message>
        <source>Class report</source>
        <translation>课堂报告</translation>
    </message>
    <message>
        <source>Report written: %1</source>
        <translation>报告已写入：%1</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>Dataset folder changed: %1</source>
        <translation>数据集文件夹已更改：%1</translation>
    </message>
    <message>
        <source>Transfer-learning experiment %1: %2</source>
        <translation>迁移学习实验 %1：%2</translation>
    </message>
    <message>
        <source>Train again</source>
        <translation>重新训练</translation>
    </message>
    <message>
        <source>Write class report</source>
        <translation>撰写课堂报告</translation>
    </message>
    <message>
        <source>Web page (*.html)</source>
        <translation>网页 (*.html)</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>正在撰写报告…</translation>
    </message>
</context>
<context>
    <name>fts::ui::ModelPanel</name>
    <message>
        <source>The network to fine-tune; the demo is small and trains in seconds.</source>
        <translation>要微调的网络；演示网络很小，几秒钟就能训练完。</translation>
    </message>
    <message>
        <source>Demo backbone (bundled, Fashion-MNIST)</source>
        <translation>演示骨干网络（内置，Fashion-MNIST）</translation>
    </message>
    <message>
        <source>A small network this app pretrained on five Fashion-MNIST classes; its weights ship with the app.</source>
        <translation>本应用在五个 Fashion-MNIST 类别上预训练的小型网络；其权重随应用一起提供。</translation>
    </message>
    <message>
        <source>%1 (%2, %3 M parameters)</source>
        <translation>%1（%2，%3 M 参数）</translation>
    </message>
    <message>
        <source>Load weights from file…</source>
        <translation>从文件加载权重…</translation>
    </message>
    <message>
        <source>Start from weights someone trained before (.safetensors, .pth, .pt or .bin) instead of random numbers.</source>
        <translation>从别人预先训练好的权重（.safetensors、.pth、.pt 或 .bin）开始，而不是从随机数开始。</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Forget the weights file and start from random weights.</source>
        <translation>不再使用该权重文件，改为从随机权重开始。</translation>
    </message>
    <message>
        <source>How many numbers the network can learn.</source>
        <translation>网络可以学习的数值个数。</translation>
    </message>
    <message>
        <source>The size in pixels images are scaled and cropped to.</source>
        <translation>图像缩放和裁剪后的尺寸（像素）。</translation>
    </message>
    <message>
        <source>Where the network&apos;s starting weights come from.</source>
        <translation>网络初始权重的来源。</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>规模：</translation>
    </message>
    <message>
        <source>Input:</source>
        <translation>输入：</translation>
    </message>
    <message>
        <source>Weights:</source>
        <translation>权重：</translation>
    </message>
    <message>
        <source>The model “%1” is not known to this version of Finetune Studio; choose another model.</source>
        <translation>当前版本的 Finetune Studio 不认识模型“%1”；请选择其他模型。</translation>
    </message>
    <message>
        <source>Load weights</source>
        <translation>加载权重</translation>
    </message>
    <message>
        <source>Weights (*.safetensors *.pth *.pt *.bin);;All files (*)</source>
        <translation>权重文件 (*.safetensors *.pth *.pt *.bin);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Describing the model…</source>
        <translation>正在分析模型…</translation>
    </message>
    <message>
        <source>The bundled demo was not found.</source>
        <translation>未找到内置演示。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 parameters (%2)</source>
        <translation>%1 个参数（%2）</translation>
    </message>
    <message>
        <source>%1 × %1 pixels</source>
        <translation>%1 × %1 像素</translation>
    </message>
    <message>
        <source>%1 × %1 pixels (the model&apos;s own size)</source>
        <translation>%1 × %1 像素（模型自身的尺寸）</translation>
    </message>
    <message>
        <source>Random initialisation: every layer starts from scratch.</source>
        <translation>随机初始化：每一层都从零开始学习。</translation>
    </message>
    <message>
        <source>Loaded %1 of %2 tensors from %3, the head (%4) included.</source>
        <translation>已从 %3 载入 %2 个张量中的 %1 个，包括分类头（%4）。</translation>
    </message>
    <message numerus="yes">
        <source>Loaded %1 of %2 tensors from %3; the head (%4) is new for %n class(es).</source>
        <translation>
            <numerusform>已从 %3 载入 %2 个张量中的 %1 个；分类头（%4）为新建，对应 %n 个类别。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entries of the file are not part of this model and are not used.</source>
        <translation>
            <numerusform>文件中有 %n 项不属于此模型，未被使用。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Training will refuse this file: %n backbone weight(s) are missing from it or have another shape.</source>
        <translation>
            <numerusform>训练将拒绝此文件：有 %n 个骨干网络权重缺失或形状不符。</numerusform>
        </translation>
    </message>
    <message>
        <source>Download ImageNet weights…</source>
        <translation>下载 ImageNet 权重…</translation>
    </message>
    <message>
        <source>Load TorchScript backbone…</source>
        <translation>加载 TorchScript 主干网络…</translation>
    </message>
    <message>
        <source>Fine-tune a network exported from PyTorch with torch.jit.script or torch.jit.trace (its classifier replaced by nn.Identity); a new head is added for your classes.</source>
        <translation>微调一个用 torch.jit.script 或 torch.jit.trace 从 PyTorch 导出的网络（其分类器已替换为 nn.Identity）；会为你的类别添加一个新的输出头。</translation>
    </message>
    <message>
        <source>Download the weights torchvision trained on ImageNet for this model into PyTorch&apos;s cache, and start from them.</source>
        <translation>把 torchvision 为此模型在 ImageNet 上训练的权重下载到 PyTorch 的缓存中，并从这些权重开始。</translation>
    </message>
    <message>
        <source>TorchScript backbone (from a file)</source>
        <translation>TorchScript 主干网络（来自文件）</translation>
    </message>
    <message>
        <source>A network exported from PyTorch as TorchScript, with a new head; ImageNet mean/std and 224 pixels unless the image size says otherwise.</source>
        <translation>一个从 PyTorch 导出为 TorchScript 的网络，加上新的输出头；除非另设图像尺寸，否则使用 ImageNet 的均值/标准差和 224 像素。</translation>
    </message>
    <message>
        <source>TorchScript files are code</source>
        <translation>TorchScript 文件就是代码</translation>
    </message>
    <message>
        <source>A TorchScript file contains program code that runs when the model is loaded and used. Load only files from a source you trust.</source>
        <translation>TorchScript 文件包含在加载和使用模型时运行的程序代码。只加载来自可信来源的文件。</translation>
    </message>
    <message>
        <source>Load TorchScript backbone</source>
        <translation>加载 TorchScript 主干网络</translation>
    </message>
    <message>
        <source>TorchScript (*.pt *.pth *.ts *.torchscript);;All files (*)</source>
        <translation>TorchScript (*.pt *.pth *.ts *.torchscript);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>fts::ui::Report</name>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Written by Finetune Studio {1} on {2}.</source>
        <translation>由 Finetune Studio {1} 于 {2} 生成。</translation>
    </message>
    <message>
        <source>{1} s</source>
        <translation>{1} 秒</translation>
    </message>
    <message>
        <source>{1} min {2} s</source>
        <translation>{1} 分 {2} 秒</translation>
    </message>
    <message>
        <source>axis cut: higher values drawn at the top</source>
        <translation>坐标轴已截断：更高的值画在顶边上</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>No epoch finished in this run.</source>
        <translation>这次训练没有完成任何一轮。</translation>
    </message>
    <message>
        <source>No confusion matrix in this run.</source>
        <translation>这次训练没有混淆矩阵。</translation>
    </message>
    <message>
        <source>true ↓ / predicted →</source>
        <translation>真实 ↓ / 预测 →</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>{1} % of {2}</source>
        <translation>占 {2} 的 {1} %</translation>
    </message>
    <message>
        <source>Rows: the true class; columns: what the model predicted. The diagonal (blue) is correct; red cells are confusions. Colour strength is the share of the row.</source>
        <translation>行：真实类别；列：模型的预测。对角线（蓝色）是预测正确的；红色格子是混淆。颜色深浅表示占该行的比例。</translation>
    </message>
    <message>
        <source>the run&apos;s images were not read from files (in-memory data), so none can be shown</source>
        <translation>这次训练的图像不是从文件读取的（内存中的数据），因此无法显示</translation>
    </message>
    <message>
        <source>the run&apos;s validation data cannot be opened any more: {1}</source>
        <translation>这次训练的验证数据已无法打开：{1}</translation>
    </message>
    <message>
        <source>No validation predictions in this run.</source>
        <translation>这次训练没有验证集的预测结果。</translation>
    </message>
    <message>
        <source>Every validation image was classified correctly.</source>
        <translation>每张验证图像都分类正确。</translation>
    </message>
    <message>
        <source>this build has no OpenCV, so the report cannot encode images</source>
        <translation>这个版本不含 OpenCV，报告无法嵌入图像</translation>
    </message>
    <message>
        <source>true: {1}</source>
        <translation>真实：{1}</translation>
    </message>
    <message>
        <source>predicted: {1}</source>
        <translation>预测：{1}</translation>
    </message>
    <message>
        <source>confidence {1} %</source>
        <translation>置信度 {1} %</translation>
    </message>
    <message>
        <source>the images could not be found in the run&apos;s data</source>
        <translation>在这次训练的数据中找不到这些图像</translation>
    </message>
    <message>
        <source>Images omitted: {1}.</source>
        <translation>未显示图像：{1}。</translation>
    </message>
    <message>
        <source>{1} of the training data, held out</source>
        <translation>从训练数据中留出 {1}</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Starting weights</source>
        <translation>初始权重</translation>
    </message>
    <message>
        <source>random initialisation (from scratch)</source>
        <translation>随机初始化（从零开始）</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation>冻结的层</translation>
    </message>
    <message>
        <source>Trainable parameters</source>
        <translation>可训练参数</translation>
    </message>
    <message>
        <source>{1} of {2}</source>
        <translation>{2} 个中的 {1} 个</translation>
    </message>
    <message>
        <source>Training data</source>
        <translation>训练数据</translation>
    </message>
    <message>
        <source>Validation data</source>
        <translation>验证数据</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>{1} training, {2} validation</source>
        <translation>训练 {1} 张，验证 {2} 张</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <source>{1} px</source>
        <translation>{1} 像素</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>训练轮数</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批次大小</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>{1}, learning rate {2} (backbone × {3}), weight decay {4}</source>
        <translation>{1}，学习率 {2}（骨干网络 × {3}），权重衰减 {4}</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>{1}, {2} threads</source>
        <translation>{1}，{2} 个线程</translation>
    </message>
    <message>
        <source>Training report: {1} ({2})</source>
        <translation>训练报告：{1}（{2}）</translation>
    </message>
    <message>
        <source>Status: {1}; validation accuracy at the end {2}, best {3}, after {4} epochs in {5}.</source>
        <translation>状态：{1}；训练了 {4} 轮，用时 {5}，最终验证准确率 {2}，最高 {3}。</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>backbone</source>
        <translation>骨干网络</translation>
    </message>
    <message>
        <source>light</source>
        <translation>轻度</translation>
    </message>
    <message>
        <source>strong</source>
        <translation>强</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Training curves</source>
        <translation>训练曲线</translation>
    </message>
    <message>
        <source>Training values (dashed) are measured on augmented images while the model learns; validation values (solid) on images it never trains on.</source>
        <translation>训练值（虚线）是模型学习时在增强后的图像上测得的；验证值（实线）是在模型从未训练过的图像上测得的。</translation>
    </message>
    <message>
        <source>Confusion matrix (validation, last epoch)</source>
        <translation>混淆矩阵（验证集，最后一轮）</translation>
    </message>
    <message>
        <source>Most confidently wrong validation images</source>
        <translation>最有把握却判断错误的验证图像</translation>
    </message>
    <message>
        <source>Transfer learning experiment: {1}</source>
        <translation>迁移学习实验：{1}</translation>
    </message>
    <message>
        <source>The same network trained on the same images with the same settings and random seed, once per strategy; only the settings in the table&apos;s last columns differ. Compare how fast each strategy learns and how well it does on validation images it never trained on.</source>
        <translation>同一个网络，用相同的图像、相同的设置和随机种子，每种策略各训练一次；只有表格最后几列的设置不同。比较每种策略学得有多快，以及它在从未训练过的验证图像上表现如何。</translation>
    </message>
    <message>
        <source>frozen</source>
        <translation>冻结的层</translation>
    </message>
    <message>
        <source>starting weights</source>
        <translation>初始权重</translation>
    </message>
    <message>
        <source>backbone lr ×</source>
        <translation>骨干网络学习率 ×</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>final val. accuracy</source>
        <translation>最终验证准确率</translation>
    </message>
    <message>
        <source>best val. accuracy</source>
        <translation>最高验证准确率</translation>
    </message>
    <message>
        <source>time</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>trainable parameters</source>
        <translation>可训练参数</translation>
    </message>
    <message>
        <source>pretrained</source>
        <translation>预训练</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>{1}: {2}</source>
        <translation>{1}：{2}</translation>
    </message>
    <message>
        <source>Pretrained weights</source>
        <translation>预训练权重</translation>
    </message>
    <message>
        <source>{1}, learning rate {2}, weight decay {3}</source>
        <translation>{1}，学习率 {2}，权重衰减 {3}</translation>
    </message>
    <message>
        <source>Settings shared by all strategies</source>
        <translation>所有策略共用的设置</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <source>Validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <source>Validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>Accuracy: training and validation</source>
        <translation>准确率：训练与验证</translation>
    </message>
    <message>
        <source>Loss: training and validation</source>
        <translation>损失：训练与验证</translation>
    </message>
    <message>
        <source>dashed: training (augmented images), solid: validation</source>
        <translation>虚线：训练（增强后的图像），实线：验证</translation>
    </message>
    <message>
        <source>The run directory {1} cannot be read.</source>
        <translation>无法读取训练目录 {1}。</translation>
    </message>
    <message>
        <source>Head only (frozen backbone)</source>
        <translation>只训练分类头（冻结骨干网络）</translation>
    </message>
    <message>
        <source>Last block + head</source>
        <translation>最后一个模块 + 分类头</translation>
    </message>
    <message>
        <source>Everything, from pretrained weights</source>
        <translation>全部层，从预训练权重开始</translation>
    </message>
    <message>
        <source>Everything, from scratch (random weights)</source>
        <translation>全部层，从零开始（随机权重）</translation>
    </message>
</context>
<context>
    <name>fts::ui::RunComparisonView</name>
    <message>
        <source>Check runs in the table to overlay their curves here.</source>
        <translation>在表格中勾选运行，即可在此叠加显示它们的曲线。</translation>
    </message>
    <message>
        <source>validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <source>validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
</context>
<context>
    <name>fts::ui::RunHistoryModel</name>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>unfinished</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>Overlay this run&apos;s curves in the comparison</source>
        <translation>在比较图中叠加显示此运行的曲线</translation>
    </message>
    <message>
        <source>Experiment · %1</source>
        <translation>实验 · %1</translation>
    </message>
    <message>
        <source>Experiment %1 · %2</source>
        <translation>实验 %1 · %2</translation>
    </message>
    <message>
        <source>nothing frozen</source>
        <translation>未冻结任何层</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Check runs to overlay their curves and compare their settings</source>
        <translation>勾选运行以叠加显示它们的曲线并比较设置</translation>
    </message>
    <message>
        <source>The best validation accuracy of any epoch</source>
        <translation>所有轮次中最高的验证准确率</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation>冻结的层</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Best acc.</source>
        <translation>最高准确率</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>训练轮数</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Head only</source>
        <translation>只训练分类头</translation>
    </message>
    <message>
        <source>Last block + head</source>
        <translation>最后一个模块 + 分类头</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>全部层</translation>
    </message>
    <message>
        <source>From scratch</source>
        <translation>从零开始</translation>
    </message>
</context>
<context>
    <name>fts::ui::RunHistoryPanel</name>
    <message>
        <source>none (from scratch)</source>
        <translation>无（从零开始）</translation>
    </message>
    <message>
        <source>nothing frozen</source>
        <translation>未冻结任何层</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Read the runs folder again</source>
        <translation>重新读取运行目录</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Show the selected run&apos;s folder (or the runs folder) in the file manager</source>
        <translation>在文件管理器中显示所选运行的文件夹（或运行目录）</translation>
    </message>
    <message>
        <source>Report…</source>
        <translation>报告…</translation>
    </message>
    <message>
        <source>Write an HTML report of the selected run, or of its whole experiment</source>
        <translation>为所选运行或其所属的整个实验撰写 HTML 报告</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Best acc.</source>
        <translation>最高准确率</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>Validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <source>Validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>Training curves (dashed)</source>
        <translation>训练曲线（虚线）</translation>
    </message>
    <message>
        <source>Compare:</source>
        <translation>比较：</translation>
    </message>
    <message>
        <source>&lt;b&gt;Settings that differ&lt;/b&gt;</source>
        <translation>&lt;b&gt;不同的设置&lt;/b&gt;</translation>
    </message>
    <message>
        <source>No runs folder chosen.</source>
        <translation>尚未选择运行目录。</translation>
    </message>
    <message>
        <source>Runs folder: %1</source>
        <translation>运行目录：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n run folder(s) could not be read:</source>
        <translation>
            <numerusform>有 %n 个运行文件夹无法读取：</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more.</source>
        <translation>
            <numerusform>… 另有 %n 个。</numerusform>
        </translation>
    </message>
    <message>
        <source>Runs folder: %1 (no runs yet)</source>
        <translation>运行目录：%1（尚无运行）</translation>
    </message>
    <message numerus="yes">
        <source>Runs folder: %1 (%n run(s))</source>
        <translation>
            <numerusform>运行目录：%1（%n 次运行）</numerusform>
        </translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Starting weights</source>
        <translation>初始权重</translation>
    </message>
    <message>
        <source>Frozen layers</source>
        <translation>冻结的层</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>训练轮数</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批次大小</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Backbone learning rate ×</source>
        <translation>骨干网络学习率 ×</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>Warm-up epochs</source>
        <translation>预热轮数</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Training data</source>
        <translation>训练数据</translation>
    </message>
    <message>
        <source>Validation data</source>
        <translation>验证数据</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Check two or more runs in the table to see the settings in which they differ.</source>
        <translation>在表格中勾选两个或更多运行，即可查看它们有哪些设置不同。</translation>
    </message>
    <message>
        <source>One run is checked: check another run to compare settings.</source>
        <translation>已勾选一个运行：再勾选一个运行即可比较设置。</translation>
    </message>
    <message>
        <source>The checked runs were trained with the same settings.</source>
        <translation>勾选的运行使用了相同的设置进行训练。</translation>
    </message>
    <message>
        <source>Best val. accuracy</source>
        <translation>最高验证准确率</translation>
    </message>
    <message>
        <source>Final val. accuracy</source>
        <translation>最终验证准确率</translation>
    </message>
    <message>
        <source>Epochs trained</source>
        <translation>已训练轮数</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>用时</translation>
    </message>
</context>
<context>
    <name>fts::ui::TrainingWorker</name>
    <message>
        <source>Training stopped because of an internal error: %1</source>
        <translation>由于内部错误，训练已停止：%1</translation>
    </message>
</context>
</TS>
