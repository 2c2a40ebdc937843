#include <iostream>
int main() { std::cout << "build2\n"; }
