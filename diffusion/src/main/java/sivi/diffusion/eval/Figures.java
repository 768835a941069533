package sivi.diffusion.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** PNG figures drawn with Java2D in headless mode (no plotting dependency). */
public final class Figures {
    private Figures() {}

    /** One titled panel of points. */
    public record Panel(String title, double[][] points) {}

    /** A grid of scatter panels (rows × cols), each over the box [lo1, hi1] × [lo2, hi2]. */
    public static void scatterGrid(Path file, List<Panel> panels, int cols, double[] box, int panelPx) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int rows = (panels.size() + cols - 1) / cols, head = 18;
        BufferedImage img = new BufferedImage(cols * panelPx, rows * (panelPx + head), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int k = 0; k < panels.size(); k++) {
            int ox = (k % cols) * panelPx, oy = (k / cols) * (panelPx + head);
            g.setColor(Color.BLACK);
            g.drawString(panels.get(k).title(), ox + 4, oy + 13);
            g.setColor(Color.LIGHT_GRAY);
            g.drawRect(ox + 1, oy + head, panelPx - 2, panelPx - 2);
            g.setColor(new Color(20, 60, 160, 90));
            for (double[] p : panels.get(k).points()) {
                double u = (p[0] - box[0]) / (box[1] - box[0]), v = (p[1] - box[2]) / (box[3] - box[2]);
                if (u < 0 || u > 1 || v < 0 || v > 1) continue;
                g.fillOval(ox + (int) (u * (panelPx - 4)) + 1, oy + head + (int) ((1 - v) * (panelPx - 4)) + 1, 3, 3);
            }
        }
        g.dispose();
        write(file, img);
    }

    /**
     * Rows of image tiles: each row is one method (label on the left), each tile an image of
     * side×side pixels with values in [−1, 1] (−1 black… drawn as white background, dark ink).
     */
    public static void imageRows(Path file, List<String> labels, List<double[][]> images, int side, int perRow, int scale) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int labelW = 110, tile = side * scale + 2;
        BufferedImage img = new BufferedImage(labelW + perRow * tile, labels.size() * tile, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int r = 0; r < labels.size(); r++) {
            g.setColor(Color.BLACK);
            g.drawString(labels.get(r), 4, r * tile + tile / 2 + 4);
            double[][] ims = images.get(r);
            for (int c = 0; c < Math.min(perRow, ims.length); c++)
                for (int i = 0; i < side; i++)
                    for (int j = 0; j < side; j++) {
                        double v = Math.max(-1, Math.min(1, ims[c][i * side + j]));
                        int ink = (int) Math.round(255 * (1 - (v + 1) / 2));
                        g.setColor(new Color(ink, ink, ink));
                        g.fillRect(labelW + c * tile + 1 + j * scale, r * tile + 1 + i * scale, scale, scale);
                    }
        }
        g.dispose();
        write(file, img);
    }

    /**
     * A heat map of values[row][col] with the value printed in each cell: white at 0 to dark red at
     * {@code max} (values above are drawn as max); a cell with a non-null {@code notes[r][c]} is grey with
     * that text instead. Labels on the left (rows) and above (columns, written vertically).
     */
    public static void heatMap(Path file, String title, List<String> rowLabels, List<String> colLabels, double[][] values,
                               double max, String[][] notes) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int cell = 46, rowH = 24, labelW = 8 + 7 * rowLabels.stream().mapToInt(String::length).max().orElse(4);
        int headH = 30 + 6 * colLabels.stream().mapToInt(String::length).max().orElse(4);
        int width = Math.max(labelW + colLabels.size() * cell + 10, 12 + 9 * title.length());   // bold 13-pt characters are up to ~9 px wide
        BufferedImage img = new BufferedImage(width, headH + rowLabels.size() * rowH + 10, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, 6, 16);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int c = 0; c < colLabels.size(); c++) {
            Graphics2D v = (Graphics2D) g.create();
            v.translate(labelW + c * cell + cell / 2 + 4, headH - 4);
            v.rotate(-Math.PI / 2);
            v.drawString(colLabels.get(c), 0, 0);
            v.dispose();
        }
        for (int r = 0; r < rowLabels.size(); r++) {
            int y = headH + r * rowH;
            g.setColor(Color.BLACK);
            g.drawString(rowLabels.get(r), 4, y + rowH / 2 + 4);
            for (int c = 0; c < colLabels.size(); c++) {
                double v = values[r][c];
                int x = labelW + c * cell;
                String note = notes[r][c];
                double u = note == null && Double.isFinite(v) ? Math.max(0, Math.min(1, v / max)) : Double.NaN;
                // white (255,255,255) -> dark red (140,0,0) linearly in u
                Color fill = Double.isNaN(u) ? new Color(200, 200, 200)
                        : new Color((int) Math.round(255 - 115 * u), (int) Math.round(255 * (1 - u)), (int) Math.round(255 * (1 - u)));
                g.setColor(fill);
                g.fillRect(x, y, cell, rowH);
                g.setColor(Color.WHITE);
                g.drawRect(x, y, cell, rowH);
                String text = note != null ? note : Double.isFinite(v) ? String.format(java.util.Locale.ROOT, v < 10 ? "%.2f" : v < 1000 ? "%.0f" : "%.0e", v) : "NaN";
                g.setColor(!Double.isNaN(u) && u > 0.55 ? Color.WHITE : Color.BLACK);
                g.drawString(text, x + (cell - g.getFontMetrics().stringWidth(text)) / 2, y + rowH / 2 + 4);
            }
        }
        g.dispose();
        write(file, img);
    }

    private static void write(Path file, BufferedImage img) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer available");
    }
}
