/* Nothing to run: a layer is linked whole into this program (CMakeLists.txt) so that
 * every reference it makes must be met by the layers below it. */
int main(void)
{
    return 0;
}
